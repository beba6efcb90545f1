package io.ferry.agent.sap;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The conversions between Ferry's canonical codes and SAP's keys that both backends need.
 *
 * <ul>
 *   <li>Language: ISO 639-1 ({@code en}) to SAP's one-letter key of table T002 ({@code E}) and back.
 *   <li>Language as OData services carry it: SAP Gateway converts the one-letter key to its ISO code
 *       (T002-LAISO), two characters in upper case ({@code EN}). For the languages below LAISO is the
 *       ISO 639-1 code, so the conversion is the case, and Ferry accepts only languages SAP has a key for.
 *   <li>Customer number: SAP's ALPHA conversion. A number of digits only is right-aligned with
 *       leading zeros to ten places ({@code 4711} becomes {@code 0000004711}); anything else stays
 *       as typed, in upper case. Ferry always answers the ten-digit internal form, also where SAP's
 *       own screens would strip the zeros for display, so an engine can compare numbers as strings.
 *   <li>Country and currency: SAP's keys are the ISO 3166-1 alpha-2 and ISO 4217 codes for all
 *       common cases (T005, TCURC as delivered), so they map one to one, in upper case. A system
 *       with its own keys (for example an old {@code DEM}) needs a mapping this class does not have.
 * </ul>
 */
public final class SapConversions {

  /** ISO 639-1 to SAP language key, as delivered in T002. */
  private static final Map<String, String> ISO_TO_SAP = Map.ofEntries(
      Map.entry("en", "E"), Map.entry("de", "D"), Map.entry("fr", "F"), Map.entry("es", "S"),
      Map.entry("it", "I"), Map.entry("nl", "N"), Map.entry("pt", "P"), Map.entry("ja", "J"),
      Map.entry("zh", "1"), Map.entry("ru", "R"), Map.entry("pl", "L"), Map.entry("sv", "V"),
      Map.entry("da", "K"), Map.entry("fi", "U"), Map.entry("cs", "C"), Map.entry("hu", "H"),
      Map.entry("tr", "T"), Map.entry("ko", "3"), Map.entry("ar", "A"), Map.entry("no", "O"),
      Map.entry("el", "G"), Map.entry("he", "B"), Map.entry("sk", "Q"), Map.entry("bg", "W"),
      Map.entry("th", "2"), Map.entry("ro", "4"), Map.entry("sl", "5"), Map.entry("hr", "6"),
      Map.entry("uk", "8"), Map.entry("et", "9"), Map.entry("lt", "X"), Map.entry("lv", "Y"));

  private static final Map<String, String> SAP_TO_ISO = ISO_TO_SAP.entrySet().stream()
      .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

  private static final Pattern DIGITS = Pattern.compile("\\d+");
  private static final Pattern CUSTOMER_NUMBER = Pattern.compile("[A-Z0-9]{1,10}");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  private SapConversions() {}

  /** {@code en} to {@code E}; {@link IllegalArgumentException} when SAP has no key for it here. */
  public static String toSapLanguage(String iso) {
    String key = iso == null ? null : ISO_TO_SAP.get(iso.strip().toLowerCase(Locale.ROOT));
    if (key == null) {
      throw new IllegalArgumentException("language '" + iso + "' has no SAP language key known to Ferry");
    }
    return key;
  }

  /** {@code E} to {@code en}; {@link IllegalArgumentException} for a key Ferry does not know. */
  public static String toIsoLanguage(String sapKey) {
    String iso = sapKey == null ? null : SAP_TO_ISO.get(sapKey.strip().toUpperCase(Locale.ROOT));
    if (iso == null) {
      throw new IllegalArgumentException("SAP language key '" + sapKey + "' has no ISO 639-1 code known to Ferry");
    }
    return iso;
  }

  /**
   * {@code en} to {@code EN}, the form of {@code Language} and {@code CorrespondenceLanguage} in SAP's
   * OData services; {@link IllegalArgumentException} when SAP has no key for the language.
   */
  public static String toSapIsoLanguage(String iso) {
    toSapLanguage(iso);
    return iso.strip().toUpperCase(Locale.ROOT);
  }

  /** {@code EN} (an OData service's language) to {@code en}; {@link IllegalArgumentException} for one Ferry does not know. */
  public static String fromSapIsoLanguage(String laiso) {
    String iso = laiso == null ? null : laiso.strip().toLowerCase(Locale.ROOT);
    if (iso == null || !ISO_TO_SAP.containsKey(iso)) {
      throw new IllegalArgumentException("SAP ISO language code '" + laiso + "' has no ISO 639-1 code known to Ferry");
    }
    return iso;
  }

  /** ALPHA input conversion to the ten-character form SAP stores and RFC expects. */
  public static String toInternalCustomerNumber(String number) {
    String n = number == null ? "" : number.strip().toUpperCase(Locale.ROOT);
    if (!CUSTOMER_NUMBER.matcher(n).matches()) {
      throw new IllegalArgumentException("'" + number + "' is not a customer number: up to ten letters or digits");
    }
    return DIGITS.matcher(n).matches() ? "0".repeat(10 - n.length()) + n : n;
  }

  /** The form Ferry answers: the internal form, leading zeros kept (see the class comment). */
  public static String toExternalCustomerNumber(String internal) {
    return toInternalCustomerNumber(internal);
  }

  public static String toSapCountry(String iso) {
    return code(iso, COUNTRY, "country", "ISO 3166-1 alpha-2 code such as DE");
  }

  public static String toIsoCountry(String sapKey) {
    return code(sapKey, COUNTRY, "SAP country key", "two-letter key such as DE");
  }

  public static String toSapCurrency(String iso) {
    return code(iso, CURRENCY, "currency", "ISO 4217 code such as EUR");
  }

  public static String toIsoCurrency(String sapKey) {
    return code(sapKey, CURRENCY, "SAP currency key", "three-letter key such as EUR");
  }

  private static String code(String value, Pattern pattern, String what, String expected) {
    String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
    if (!pattern.matcher(v).matches()) {
      throw new IllegalArgumentException(what + " '" + value + "' is not a " + expected);
    }
    return v;
  }
}
