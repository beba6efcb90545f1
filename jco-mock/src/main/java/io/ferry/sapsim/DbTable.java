package io.ferry.sapsim;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One database table as RFC_READ_TABLE sees it: its columns (from the DDIC) and its rows, each a map from
 * column name to the value in its internal text form (CHAR without trailing blanks, DATS {@code yyyyMMdd},
 * packed numbers as plain decimals).
 */
record DbTable(String name, List<Column> columns, List<Map<String, String>> rows) {

  /**
   * A column. {@code abapType} is the one-letter ABAP type RFC_READ_TABLE reports in FIELDS-TYPE;
   * {@code length} is its width in the data line (for packed numbers the output length: digits, sign and point).
   */
  record Column(String name, char abapType, int length, String text) {

    static Column chars(String name, int length, String text) {
      return new Column(name, 'C', length, text);
    }

    static Column date(String name, String text) {
      return new Column(name, 'D', 8, text);
    }

    static Column time(String name, String text) {
      return new Column(name, 'T', 6, text);
    }

    static Column packed(String name, int digits, int decimals, String text) {
      return new Column(name, 'P', digits + (decimals > 0 ? 2 : 1), text);
    }

    /** The initial value of a blank cell: DATS and TIMS are all zeros, as the database keeps them. */
    private String initial(String blank) {
      return switch (abapType) {
        case 'D' -> "00000000";
        case 'T' -> "000000";
        default -> blank == null ? "" : blank;
      };
    }

    boolean numeric() {
      return abapType == 'P';
    }

    /** The value as it stands in the data line: character-like left-justified, numbers right-justified. */
    String cell(String value) {
      String v = value == null ? "" : value;
      if (v.isBlank()) {
        v = initial(v);
      }
      if (v.length() > length) {
        v = v.substring(0, length);
      }
      return numeric() ? " ".repeat(length - v.length()) + v : v + " ".repeat(length - v.length());
    }

    /** Compares a stored value with a WHERE literal: numbers by value, everything else as text. */
    int compare(String stored, String literal) {
      if (numeric()) {
        return new BigDecimal(stored.isBlank() ? "0" : stored.strip())
            .compareTo(new BigDecimal(literal.isBlank() ? "0" : literal.strip()));
      }
      String s = stored == null || stored.isBlank() ? initial(stored) : stored;
      return s.stripTrailing().compareTo(literal.stripTrailing());
    }
  }

  Column column(String columnName) {
    return columns.stream().filter(c -> c.name().equals(columnName)).findFirst().orElse(null);
  }
}
