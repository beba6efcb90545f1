package io.ferry.agent.sap.bapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sap.conn.jco.JCoMetaData;
import com.sap.conn.jco.JCoRecord;
import com.sap.conn.jco.JCoTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The mapping between JSON and ABAP values for generic function calls, both ways; docs/functions.md has it as a table.
 * Into SAP every value is checked against the field's metadata first and a value that does not fit is a problem named
 * by its JSON path ({@code tables.OPTIONS[2].TEXT}) — never cut, rounded or guessed — so a call with any problem is
 * refused before SAP sees it. Out of SAP the values are written the way the schema ({@link FunctionSchemas}) says.
 */
final class AbapJson {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Pattern DIGITS = Pattern.compile("[0-9]*");
  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
  private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Pattern ISO_TIME = Pattern.compile("[0-9]{2}:[0-9]{2}:[0-9]{2}");
  private static final DateTimeFormatter DATS = DateTimeFormatter.BASIC_ISO_DATE;
  private static final DateTimeFormatter TIMS = DateTimeFormatter.ofPattern("HHmmss");

  private AbapJson() {}

  // ---- JSON into SAP ----

  /**
   * Sets each member of {@code values} on the field of {@code record} it names. Adds a problem naming the path for
   * every member the record has no field for and every value that does not fit.
   *
   * @param path the JSON path of {@code values} ({@code importing}, {@code tables.OPTIONS[0]})
   * @param what what the record's fields are called in messages ("import parameter", "field of RFC_DB_OPT")
   */
  static void fill(JCoRecord record, JCoMetaData meta, JsonNode values, String path, String what,
      List<String> problems) {
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      String name = member.getKey();
      String at = path + "." + name;
      int index = meta.indexOf(name);
      if (index < 0) {
        problems.add(at + ": there is no " + what + " " + name);
        continue;
      }
      set(record, meta, index, member.getValue(), at, problems);
    }
  }

  /** Sets one field from its JSON value; a problem instead when the value does not fit. */
  static void set(JCoRecord record, JCoMetaData meta, int index, JsonNode value, String at, List<String> problems) {
    AbapType type = AbapType.of(meta, index);
    int length = meta.getLength(index);
    switch (type) {
      case STRUCTURE -> {
        if (!value.isObject()) {
          problems.add(at + ": expected an object (structure " + meta.getRecordTypeName(index) + "), was "
              + kind(value));
          return;
        }
        fill(record.getStructure(index), meta.getRecordMetaData(index), value, at,
            "field of " + meta.getRecordTypeName(index) + " named", problems);
      }
      case TABLE -> {
        if (!value.isArray()) {
          problems.add(at + ": expected an array of rows (table of " + meta.getRecordTypeName(index) + "), was "
              + kind(value));
          return;
        }
        JCoTable table = record.getTable(index);
        JCoMetaData line = meta.getRecordMetaData(index);
        for (int row = 0; row < value.size(); row++) {
          JsonNode r = value.get(row);
          String rowAt = at + "[" + row + "]";
          if (!r.isObject()) {
            problems.add(rowAt + ": expected an object (a row of " + meta.getRecordTypeName(index) + "), was "
                + kind(r));
            continue;
          }
          table.appendRow();
          fill(table, line, r, rowAt, "field of " + meta.getRecordTypeName(index) + " named", problems);
        }
      }
      default -> {
        Object v = scalar(type, length, meta.getDecimals(index), value, at, problems);
        if (v != null) {
          try {
            record.setValue(index, v);
          } catch (RuntimeException e) {
            // JCo's conversion refused what Ferry's checks let through; its message may quote the value, so not here.
            problems.add(at + ": SAP's JCo does not take this value for " + meta.getTypeAsString(index) + " " + length
                + " (" + e.getClass().getSimpleName() + ")");
          }
        }
      }
    }
  }

  /** The Java value JCo takes for a scalar field, or null (with a problem, unless the value is an initial date). */
  private static Object scalar(AbapType type, int length, int decimals, JsonNode value, String at,
      List<String> problems) {
    String sap = type.name() + (length > 0 && type != AbapType.STRING && type != AbapType.XSTRING ? " " + length : "");
    switch (type) {
      case CHAR, STRING -> {
        if (!value.isTextual()) {
          return wrong(problems, at, "a string (" + sap + ")", value);
        }
        String s = value.textValue();
        if (type == AbapType.CHAR && s.length() > length || type == AbapType.STRING && length > 0
            && s.length() > length) {
          return wrong(problems, at, "at most " + length + " characters (" + sap + "), was " + s.length(), null);
        }
        return s;
      }
      case NUM -> {
        if (!value.isTextual() || !DIGITS.matcher(value.textValue()).matches()) {
          return wrong(problems, at, "a string of digits (" + sap + ")", value);
        }
        if (value.textValue().length() > length) {
          return wrong(problems, at, "at most " + length + " digits (" + sap + "), was " + value.textValue().length(),
              null);
        }
        return value.textValue();
      }
      case INT, INT1, INT2, INT8 -> {
        if (!value.isIntegralNumber() && !(value.isNumber() && isWhole(value.decimalValue()))) {
          return wrong(problems, at, "an integer (" + type.name() + ")", value);
        }
        BigDecimal n = value.decimalValue();
        if (n.compareTo(BigDecimal.valueOf(type.min())) < 0 || n.compareTo(BigDecimal.valueOf(type.max())) > 0) {
          return wrong(problems, at, "an integer from " + type.min() + " to " + type.max() + " (" + type.name()
              + "), was " + n.toPlainString(), null);
        }
        return type == AbapType.INT8 ? (Object) n.longValueExact() : (Object) n.intValueExact();
      }
      case BCD, DECF16, DECF34 -> {
        BigDecimal n;
        if (value.isTextual() && DECIMAL.matcher(value.textValue()).matches()) {
          n = new BigDecimal(value.textValue());
        } else if (value.isNumber()) {
          // USE_BIG_DECIMAL_FOR_FLOATS: a JSON number arrives as written, so nothing is lost here.
          n = value.decimalValue();
        } else {
          return wrong(problems, at, "a decimal number as a string such as \"12.50\" (" + sap + ")", value);
        }
        int digits = AbapType.digits(type, length);
        if (type == AbapType.BCD) {
          if (Math.max(0, n.stripTrailingZeros().scale()) > decimals) {
            return wrong(problems, at, "at most " + decimals + " decimal places (" + sap + " with " + decimals
                + " decimals), was " + n.toPlainString(), null);
          }
          int whole = n.precision() - n.scale();
          if (whole > digits - decimals) {
            return wrong(problems, at, "at most " + (digits - decimals) + " digits before the point (" + sap
                + " with " + decimals + " decimals), was " + n.toPlainString(), null);
          }
        } else if (n.stripTrailingZeros().precision() > digits) {
          return wrong(problems, at, "at most " + digits + " significant digits (" + type.name() + "), was "
              + n.toPlainString(), null);
        }
        return n;
      }
      case FLOAT -> {
        if (!value.isNumber()) {
          return wrong(problems, at, "a number (FLOAT)", value);
        }
        return value.doubleValue();
      }
      case DATE -> {
        if (value.isNull()) {
          return null; // SAP's initial date: the field stays initial
        }
        if (!value.isTextual() || !ISO_DATE.matcher(value.textValue()).matches()) {
          return wrong(problems, at, "a date YYYY-MM-DD or null (DATE)", value);
        }
        try {
          return DATS.format(LocalDate.parse(value.textValue()));
        } catch (DateTimeParseException e) {
          return wrong(problems, at, "a date that exists (DATE), was " + value.textValue(), null);
        }
      }
      case TIME -> {
        if (!value.isTextual() || !ISO_TIME.matcher(value.textValue()).matches()) {
          return wrong(problems, at, "a time HH:MM:SS (TIME)", value);
        }
        try {
          return TIMS.format(LocalTime.parse(value.textValue()));
        } catch (DateTimeParseException e) {
          return wrong(problems, at, "a time of day from 00:00:00 to 23:59:59 (TIME), was " + value.textValue(), null);
        }
      }
      case BYTE, XSTRING -> {
        if (!value.isTextual()) {
          return wrong(problems, at, "binary data as a base64 string (" + sap + ")", value);
        }
        byte[] bytes;
        try {
          bytes = Base64.getDecoder().decode(value.textValue());
        } catch (IllegalArgumentException e) {
          return wrong(problems, at, "binary data as a base64 string (" + sap + "), was not base64", null);
        }
        if (type == AbapType.BYTE && bytes.length > length) {
          return wrong(problems, at, "at most " + length + " bytes (" + sap + "), was " + bytes.length, null);
        }
        return bytes;
      }
      default -> {
        return wrong(problems, at, "nothing: Ferry cannot send values of this ABAP type; leave it out", null);
      }
    }
  }

  private static boolean isWhole(BigDecimal n) {
    return n.stripTrailingZeros().scale() <= 0;
  }

  private static Object wrong(List<String> problems, String at, String expected, JsonNode was) {
    problems.add(at + ": expected " + expected + (was == null ? "" : ", was " + kind(was)));
    return null;
  }

  /** What a JSON value is, for messages; never the value itself (it may be confidential). */
  private static String kind(JsonNode v) {
    if (v.isTextual()) {
      return "a string";
    }
    if (v.isIntegralNumber()) {
      return "an integer";
    }
    if (v.isNumber()) {
      return "a number";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    if (v.isNull()) {
      return "null";
    }
    return v.isArray() ? "an array" : "an object";
  }

  // ---- SAP into JSON ----

  /** Every field of {@code record} as a JSON object member. */
  static ObjectNode read(JCoRecord record, JCoMetaData meta) {
    ObjectNode out = JSON.objectNode();
    for (int i = 0; i < meta.getFieldCount(); i++) {
      out.set(meta.getName(i), value(record, meta, i));
    }
    return out;
  }

  static JsonNode value(JCoRecord record, JCoMetaData meta, int index) {
    AbapType type = AbapType.of(meta, index);
    switch (type) {
      case STRUCTURE -> {
        return read(record.getStructure(index), meta.getRecordMetaData(index));
      }
      case TABLE -> {
        JCoTable table = record.getTable(index);
        JCoMetaData line = meta.getRecordMetaData(index);
        ArrayNode rows = JSON.arrayNode();
        for (int r = 0; r < table.getNumRows(); r++) {
          table.setRow(r);
          rows.add(read(table, line));
        }
        return rows;
      }
      case CHAR, STRING, NUM -> {
        String s = record.getString(index);
        return JSON.textNode(s == null ? "" : type == AbapType.CHAR ? s.stripTrailing() : s);
      }
      case INT, INT1, INT2 -> {
        return JSON.numberNode(record.getInt(index));
      }
      case INT8 -> {
        return JSON.numberNode(record.getLong(index));
      }
      case BCD, DECF16, DECF34 -> {
        BigDecimal n = record.getBigDecimal(index);
        if (n == null) {
          n = BigDecimal.ZERO;
        }
        int decimals = meta.getDecimals(index);
        if (type == AbapType.BCD && n.scale() < decimals) {
          n = n.setScale(decimals); // "12.50" for a CURR field with two decimals, as SAP shows it
        }
        return JSON.textNode(n.toPlainString());
      }
      case FLOAT -> {
        return JSON.numberNode(record.getDouble(index));
      }
      case DATE -> {
        String d = isoDate(record.getString(index));
        return d == null ? JSON.nullNode() : JSON.textNode(d);
      }
      case TIME -> {
        return JSON.textNode(isoTime(record.getString(index)));
      }
      case BYTE, XSTRING -> {
        byte[] bytes = record.getByteArray(index);
        return JSON.textNode(Base64.getEncoder().encodeToString(bytes == null ? new byte[0] : bytes));
      }
      default -> {
        Object v = record.getValue(index);
        return v == null ? JSON.nullNode() : JSON.textNode(String.valueOf(v));
      }
    }
  }

  /** {@code YYYY-MM-DD} from JCo's text of a date (ISO or ABAP's YYYYMMDD); null for SAP's initial date. */
  static String isoDate(String s) {
    if (s == null) {
      return null;
    }
    String digits = s.strip().replace("-", "");
    if (digits.isEmpty() || digits.chars().allMatch(c -> c == '0') || digits.length() != 8) {
      return null;
    }
    return digits.substring(0, 4) + "-" + digits.substring(4, 6) + "-" + digits.substring(6, 8);
  }

  /** {@code HH:MM:SS} from JCo's text of a time (with or without colons); midnight when blank. */
  static String isoTime(String s) {
    String digits = s == null ? "" : s.strip().replace(":", "");
    if (digits.length() != 6) {
      return "00:00:00";
    }
    return digits.substring(0, 2) + ":" + digits.substring(2, 4) + ":" + digits.substring(4, 6);
  }
}
