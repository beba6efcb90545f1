package io.ferry.odatapeer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * SAP's conversion exit ALPHA on the number properties of {@code API_BUSINESS_PARTNER}: business
 * partner, customer and supplier numbers are CHAR10 in SAP with ALPHA, so a number of digits only is
 * stored right-aligned with leading zeros ({@code 0000100000}, the internal form) and shown without
 * them ({@code 100000}, the external form). SAP Gateway runs the exit on what a client sends (key
 * predicates, {@code $filter} comparisons, request bodies: input conversion) and on what it answers
 * (output conversion), so a client may send either form and always reads the external one.
 *
 * <p>The EDMX does not say which properties carry the exit (it is on the ABAP data element:
 * {@code BU_PARTNER}, {@code KUNNR}, {@code LIFNR}); they are named here. With the exit switched off
 * ({@link ODataPeer.Options#alphaConversion()}), the peer plays a service whose properties have no
 * conversion: it stores numbers in the form it shows (unpadded) and compares what a client sends as it
 * is, so only that form matches.
 */
final class Alpha {

  /** The properties typed with a data element that has conversion exit ALPHA. */
  static final Set<String> PROPERTIES = Set.of("BusinessPartner", "BusinessPartner1", "BusinessPartner2",
      "BusinessPartnerCompany", "BusinessPartnerPerson", "Customer", "Supplier", "SalesOrder", "SoldToParty");

  private static final Pattern DIGITS = Pattern.compile("\\d{1,10}");
  private static final Pattern LEADING_ZEROS = Pattern.compile("^0+(?=\\d)");

  private final boolean enabled;

  Alpha(boolean enabled) {
    this.enabled = enabled;
  }

  boolean enabled() {
    return enabled;
  }

  static boolean typed(String property) {
    return PROPERTIES.contains(property);
  }

  /** CONVERSION_EXIT_ALPHA_INPUT: digits only become ten digits with leading zeros; anything else stays. */
  Object input(String property, Object value) {
    if (!enabled || !typed(property) || !(value instanceof String s) || !DIGITS.matcher(s).matches()) {
      return value;
    }
    return "0".repeat(10 - s.length()) + s;
  }

  /** CONVERSION_EXIT_ALPHA_OUTPUT: leading zeros of a number of digits only are dropped. */
  Object output(String property, Object value) {
    if (!enabled || !typed(property) || !(value instanceof String s) || !DIGITS.matcher(s).matches()) {
      return value;
    }
    return LEADING_ZEROS.matcher(s).replaceFirst("");
  }

  /** A copy of {@code values} with the input conversion applied to every ALPHA property. */
  Map<String, Object> input(Map<String, Object> values) {
    Map<String, Object> converted = new LinkedHashMap<>();
    values.forEach((k, v) -> converted.put(k, input(k, v)));
    return converted;
  }

  /** A copy of {@code values} with the output conversion applied to every ALPHA property. */
  Map<String, Object> output(Map<String, Object> values) {
    Map<String, Object> converted = new LinkedHashMap<>();
    values.forEach((k, v) -> converted.put(k, output(k, v)));
    return converted;
  }

  /**
   * A number the number range hands out, as the database keeps it: the internal form with the exit,
   * the unpadded number without (a service without the exit stores what it shows).
   */
  String stored(long number) {
    String external = Long.toString(number);
    return enabled ? (String) input("BusinessPartner", external) : external;
  }
}
