package io.ferry.agent.sap;

import io.ferry.protocol.Customer;
import java.util.Locale;

/**
 * What a customer search matches, the same on every backend. A customer matches the text when its
 * {@code name}, {@code name2} or {@code externalId} contains it, ignoring case: a user searching
 * {@code muster} means {@code Muster GmbH}. SAP's own name searches compare case-sensitively (an ABAP
 * {@code LIKE}, OData's {@code substringof}), which is why SAP keeps upper-case copies to search in (KNA1's
 * match codes MCOD1/MCOD2, the business partner's search terms). The BAPI backend searches those and keeps
 * what this says; the OData backend, whose $filter cannot upper-case, asks for the text in the usual case
 * forms (as typed, upper, lower, capitalised). Pages are in ascending customer number, in SAP's
 * internal form, and the cursor is the last customer number of the page.
 */
public final class CustomerSearch {

  private CustomerSearch() {}

  public static boolean matches(Customer c, String text) {
    if (text == null) {
      return true;
    }
    String upper = text.toUpperCase(Locale.ROOT);
    return contains(c.name(), upper) || contains(c.name2(), upper) || contains(c.externalId(), upper);
  }

  /** The cursor after this customer: its number in SAP's internal form. */
  public static String cursorAfter(Customer c) {
    return SapConversions.toInternalCustomerNumber(c.customerNumber());
  }

  private static boolean contains(String value, String upperText) {
    return value != null && value.toUpperCase(Locale.ROOT).contains(upperText);
  }
}
