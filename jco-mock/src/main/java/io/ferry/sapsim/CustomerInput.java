package io.ferry.sapsim;

import com.sap.conn.jco.JCoStructure;
import io.ferry.sapsim.CustomerMaster.Attr;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the personal or company data structure of a create or change into general-data values and
 * a currency, checking what SAP would refuse: missing mandatory fields, values longer than the
 * customer master (KNA1) takes although the BAPI structure (sized for central address management)
 * would carry them, and undefined language, country or currency keys. The first problem wins, as a
 * BAPI's single RETURN structure reports one message.
 */
final class CustomerInput {

  enum Kind {
    COMPANY("NAME", "LANGU", "LANGU_ISO"),
    PERSONAL("LASTNAME", "LANGU_P", "LANGUP_ISO");

    final String nameField;
    final String languageField;
    final String languageIsoField;

    Kind(String nameField, String languageField, String languageIsoField) {
      this.nameField = nameField;
      this.languageField = languageField;
      this.languageIsoField = languageIsoField;
    }
  }

  private record Mapping(String field, Attr attr, int max) {}

  /** KNA1 takes 35 characters for names and city, where the BAPI structures allow 40. */
  private static final List<Mapping> COMPANY = List.of(
      new Mapping("NAME", Attr.NAME1, 35),
      new Mapping("NAME_2", Attr.NAME2, 35),
      new Mapping("NAME_3", Attr.NAME3, 35),
      new Mapping("NAME_4", Attr.NAME4, 35),
      new Mapping("TITLE_KEY", Attr.TITLE, 4),
      new Mapping("STREET", Attr.STREET, 60),
      new Mapping("HOUSE_NO", Attr.HOUSE_NO, 10),
      new Mapping("POSTL_COD1", Attr.POSTL_CODE, 10),
      new Mapping("CITY", Attr.CITY, 35),
      new Mapping("DISTRICT", Attr.DISTRICT, 35),
      new Mapping("REGION", Attr.REGION, 3),
      new Mapping("TEL1_NUMBR", Attr.PHONE, 30),
      new Mapping("FAX_NUMBER", Attr.FAX, 30),
      new Mapping("E_MAIL", Attr.EMAIL, 241));

  /** A person's last name goes to NAME1 and the first name to NAME2 (a simplification). */
  private static final List<Mapping> PERSONAL = List.of(
      new Mapping("LASTNAME", Attr.NAME1, 35),
      new Mapping("FIRSTNAME", Attr.NAME2, 35),
      new Mapping("TITLE_KEY", Attr.TITLE, 4),
      new Mapping("STREET", Attr.STREET, 60),
      new Mapping("HOUSE_NO", Attr.HOUSE_NO, 10),
      new Mapping("POSTL_COD1", Attr.POSTL_CODE, 10),
      new Mapping("CITY", Attr.CITY, 35),
      new Mapping("DISTRICT", Attr.DISTRICT, 35),
      new Mapping("REGION", Attr.REGION, 3),
      new Mapping("TEL1_NUMBR", Attr.PHONE, 30),
      new Mapping("FAX_NUMBER", Attr.FAX, 30),
      new Mapping("E_MAIL", Attr.EMAIL, 241));

  /**
   * The simulated system's country table (T005): the ISO 3166-1 codes, plus XK (Kosovo), the user-assigned
   * code SAP systems carry because ISO has not coded Kosovo.
   */
  private static final Set<String> COUNTRIES = java.util.stream.Stream.concat(
      java.util.Arrays.stream(Locale.getISOCountries()), java.util.stream.Stream.of("XK"))
      .collect(Collectors.toUnmodifiableSet());
  private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
      .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

  /** The values named; an empty string means "clear" in a change. */
  final Map<Attr, String> general = new EnumMap<>(Attr.class);
  /** The currency named, or null. */
  String currency;
  Msg error;

  private CustomerInput() {}

  static boolean isFilled(JCoStructure s) {
    for (int i = 0; i < s.getFieldCount(); i++) {
      Object v = s.getValue(i);
      if (v instanceof String text ? !text.isBlank() : v != null) {
        return true;
      }
    }
    return false;
  }

  /** A create's data: every field counts and the mandatory ones must be there. */
  static CustomerInput forCreate(JCoStructure data, Kind kind, String param) {
    return parse(data, null, kind, param);
  }

  /** A change's data: only the fields flagged 'X' in {@code flags} count. */
  static CustomerInput forChange(JCoStructure data, JCoStructure flags, Kind kind, String param) {
    return parse(data, flags, kind, param);
  }

  private static CustomerInput parse(JCoStructure data, JCoStructure flags, Kind kind, String param) {
    CustomerInput in = new CustomerInput();
    in.read(data, flags, kind, param);
    return in;
  }

  private void read(JCoStructure data, JCoStructure flags, Kind kind, String param) {
    for (Mapping m : kind == Kind.COMPANY ? COMPANY : PERSONAL) {
      if (!named(flags, m.field())) {
        continue;
      }
      String value = data.getString(m.field());
      if (value.length() > m.max()) {
        error = Msg.tooLong(param + "-" + m.field(), m.max());
        return;
      }
      general.put(m.attr(), value);
    }
    if (named(flags, "COUNTRY") || named(flags, "COUNTRYISO")) {
      String country = firstNonBlank(data.getString("COUNTRY"), data.getString("COUNTRYISO"));
      if (!country.isEmpty() && !COUNTRIES.contains(country.toUpperCase(Locale.ROOT))) {
        error = Msg.unknownCountry(country);
        return;
      }
      general.put(Attr.COUNTRY, country.toUpperCase(Locale.ROOT));
    }
    if (named(flags, kind.languageField) || named(flags, kind.languageIsoField)) {
      String key = data.getString(kind.languageField);
      String iso = data.getString(kind.languageIsoField);
      String sapKey = "";
      if (!key.isEmpty()) {
        if (!Languages.isSapKey(key)) {
          error = Msg.unknownLanguage(key);
          return;
        }
        sapKey = key.toUpperCase(Locale.ROOT);
      } else if (!iso.isEmpty()) {
        sapKey = Languages.fromIso(iso).orElse(null);
        if (sapKey == null) {
          error = Msg.unknownLanguage(iso);
          return;
        }
      }
      general.put(Attr.LANGUAGE, sapKey);
    }
    if (named(flags, "CURRENCY") || named(flags, "CURRENCY_ISO")) {
      String cur = firstNonBlank(data.getString("CURRENCY"), data.getString("CURRENCY_ISO"));
      if (!cur.isEmpty() && !CURRENCIES.contains(cur.toUpperCase(Locale.ROOT))) {
        error = Msg.unknownCurrency(cur);
        return;
      }
      currency = cur.toUpperCase(Locale.ROOT);
    }
    checkRequired(flags == null, kind, param);
  }

  /** On a create every mandatory field must be filled; on a change, a named one must not be blanked. */
  private void checkRequired(boolean create, Kind kind, String param) {
    Object[][] mandatory = {
        {Attr.NAME1, kind.nameField}, {Attr.STREET, "STREET"}, {Attr.POSTL_CODE, "POSTL_COD1"},
        {Attr.CITY, "CITY"}, {Attr.COUNTRY, "COUNTRY"}, {Attr.LANGUAGE, kind.languageField}};
    for (Object[] m : mandatory) {
      Attr attr = (Attr) m[0];
      String value = general.get(attr);
      if ((create || general.containsKey(attr)) && (value == null || value.isBlank())) {
        error = Msg.required(param + "-" + m[1]);
        return;
      }
    }
    if ((create || currency != null) && (currency == null || currency.isBlank())) {
      error = Msg.required(param + "-CURRENCY");
    }
  }

  private static boolean named(JCoStructure flags, String field) {
    return flags == null || (flags.getMetaData().hasField(field) && "X".equals(flags.getString(field)));
  }

  private static String firstNonBlank(String a, String b) {
    return !a.isBlank() ? a : b;
  }
}
