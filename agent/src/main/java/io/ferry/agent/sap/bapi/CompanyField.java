package io.ferry.agent.sap.bapi;

import io.ferry.agent.sap.SapConversions;
import io.ferry.protocol.Customer;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The canonical customer fields and the BAPIKNA106 company-data fields they travel in, with the
 * code conversion each needs on the way to SAP and back. The external reference goes to NAME_4:
 * no structure of the create BAPI carries a search term (SORTL is not in BAPIKNA101_1, BAPIKNA106 or
 * BAPIKNA105), NAME_4 is the only free text field of at least 20 characters organisations leave
 * empty, and BAPI_CUSTOMER_FIND can select on KNA1-NAME4.
 */
enum CompanyField {
  NAME("name", "NAME", Customer::name, Customer.Builder::name),
  NAME2("name2", "NAME_2", Customer::name2, Customer.Builder::name2),
  EXTERNAL_ID("externalId", "NAME_4", Customer::externalId, Customer.Builder::externalId),
  STREET("street", "STREET", Customer::street, Customer.Builder::street),
  HOUSE_NUMBER("houseNumber", "HOUSE_NO", Customer::houseNumber, Customer.Builder::houseNumber),
  POSTAL_CODE("postalCode", "POSTL_COD1", Customer::postalCode, Customer.Builder::postalCode),
  CITY("city", "CITY", Customer::city, Customer.Builder::city),
  REGION("region", "REGION", Customer::region, Customer.Builder::region),
  COUNTRY("country", "COUNTRY", Customer::country, Customer.Builder::country,
      SapConversions::toSapCountry, SapConversions::toIsoCountry),
  LANGUAGE("language", "LANGU", Customer::language, Customer.Builder::language,
      SapConversions::toSapLanguage, SapConversions::toIsoLanguage),
  CURRENCY("currency", "CURRENCY", Customer::currency, Customer.Builder::currency,
      SapConversions::toSapCurrency, SapConversions::toIsoCurrency),
  EMAIL("email", "E_MAIL", Customer::email, Customer.Builder::email),
  PHONE("phone", "TEL1_NUMBR", Customer::phone, Customer.Builder::phone);

  final String canonical;
  final String sapField;
  final Function<Customer, String> getter;
  final BiConsumer<Customer.Builder, String> setter;
  private final UnaryOperator<String> toSap;
  private final UnaryOperator<String> fromSap;

  CompanyField(String canonical, String sapField, Function<Customer, String> getter,
      BiConsumer<Customer.Builder, String> setter) {
    this(canonical, sapField, getter, setter, UnaryOperator.identity(), UnaryOperator.identity());
  }

  CompanyField(String canonical, String sapField, Function<Customer, String> getter,
      BiConsumer<Customer.Builder, String> setter, UnaryOperator<String> toSap, UnaryOperator<String> fromSap) {
    this.canonical = canonical;
    this.sapField = sapField;
    this.getter = getter;
    this.setter = setter;
    this.toSap = toSap;
    this.fromSap = fromSap;
  }

  /** The SAP value of the customer's field; blank when the field is absent. */
  String sapValue(Customer c) {
    String v = getter.apply(c);
    return v == null || v.isBlank() ? "" : toSap.apply(v.strip());
  }

  /** The canonical value of what SAP holds; null when SAP holds nothing. */
  String canonicalValue(String sap) {
    return sap == null || sap.isBlank() ? null : fromSap.apply(sap.strip());
  }
}
