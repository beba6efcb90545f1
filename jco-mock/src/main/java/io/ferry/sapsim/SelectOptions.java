package io.ferry.sapsim;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ABAP range tables (SIGN, OPTION, LOW, HIGH) as a {@code SELECT ... WHERE f IN range} evaluates
 * them: a value is selected when it matches one of the I rows (or there is none) and none of the E
 * rows. CHAR values compare as strings; CP and NP patterns take {@code *} for any string, {@code +}
 * for one character and {@code #} to escape, ignoring case, as ABAP's CP does.
 */
final class SelectOptions {

  record Row(String sign, String option, String low, String high) {}

  private static final Set<String> OPTIONS = Set.of("EQ", "NE", "GT", "GE", "LT", "LE", "BT", "NB", "CP", "NP");

  private SelectOptions() {}

  /** The message SAP answers for a row it cannot use, if any. */
  static Optional<Msg> check(List<Row> rows) {
    for (Row r : rows) {
      if (!r.sign().equals("I") && !r.sign().equals("E")) {
        return Optional.of(Msg.invalidRangeSign(r.sign()));
      }
      if (!OPTIONS.contains(r.option())) {
        return Optional.of(Msg.invalidRangeOption(r.option()));
      }
    }
    return Optional.empty();
  }

  static boolean selects(List<Row> rows, String value) {
    boolean anyInclude = false;
    boolean included = false;
    for (Row r : rows) {
      boolean hit = matches(r, value);
      if (r.sign().equals("E") && hit) {
        return false;
      }
      if (r.sign().equals("I")) {
        anyInclude = true;
        included |= hit;
      }
    }
    return !anyInclude || included;
  }

  private static boolean matches(Row r, String value) {
    int low = value.compareTo(r.low());
    return switch (r.option()) {
      case "EQ" -> low == 0;
      case "NE" -> low != 0;
      case "GT" -> low > 0;
      case "GE" -> low >= 0;
      case "LT" -> low < 0;
      case "LE" -> low <= 0;
      case "BT" -> low >= 0 && value.compareTo(r.high()) <= 0;
      case "NB" -> !(low >= 0 && value.compareTo(r.high()) <= 0);
      case "CP" -> coversPattern(value, r.low());
      case "NP" -> !coversPattern(value, r.low());
      default -> false;
    };
  }

  /** ABAP's CP: {@code *} any string, {@code +} any one character, {@code #} escapes; case ignored. */
  static boolean coversPattern(String value, String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '#' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '*') {
        regex.append(".*");
      } else if (c == '+') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL)
        .matcher(value).matches();
  }
}
