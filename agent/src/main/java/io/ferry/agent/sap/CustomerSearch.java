package io.ferry.agent.sap;

import io.ferry.protocol.Customer;
import java.util.Locale;

/**
 * What a customer search matches, the same on every backend. A customer matches the text when its
 * {@code name} or {@code name2} contains it as written (SAP compares names case-sensitively: OData's
 * {@code substringof} and an ABAP {@code LIKE} do), or its {@code externalId} contains it ignoring case
 * (SAP keeps the search terms that hold it in upper case). Pages are in ascending customer number, in
 * SAP's internal form, and the cursor is the last customer number of the page.
 */
public final class CustomerSearch {

  private CustomerSearch() {}

  public static boolean matches(Customer c, String text) {
    if (text == null) {
      return true;
    }
    return contains(c.name(), text) || contains(c.name2(), text)
        || (c.externalId() != null
            && c.externalId().toUpperCase(Locale.ROOT).contains(text.toUpperCase(Locale.ROOT)));
  }

  /** The cursor after this customer: its number in SAP's internal form. */
  public static String cursorAfter(Customer c) {
    return SapConversions.toInternalCustomerNumber(c.customerNumber());
  }

  private static boolean contains(String value, String text) {
    return value != null && value.contains(text);
  }
}
