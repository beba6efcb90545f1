package io.ferry.sapsim;

/**
 * A company code as table T001 keeps it. Customizing: seeded with the system, never changed by a call,
 * so it is not part of the data file.
 */
record CompanyCode(String code, String name, String city, String country, String currency, String language) {}
