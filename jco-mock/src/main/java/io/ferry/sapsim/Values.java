package io.ferry.sapsim;

import com.sap.conn.jco.ConversionException;
import com.sap.conn.jco.JCoMetaData;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;

/**
 * The conversions between Java values and ABAP field types, as JCo's record getters and setters
 * do them. CHAR values are stored without trailing blanks (JCo trims them on read) and a value
 * longer than the field is refused with {@link ConversionException} rather than cut: a silently
 * shortened name in SAP is worse than a failed call.
 */
final class Values {

  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_LOCAL_DATE;
  private static final DateTimeFormatter DATS = DateTimeFormatter.BASIC_ISO_DATE;

  private Values() {}

  static Object initial(FieldMeta f) {
    return switch (f.type()) {
      case JCoMetaData.TYPE_NUM -> "0".repeat(f.length());
      case JCoMetaData.TYPE_INT, JCoMetaData.TYPE_INT1, JCoMetaData.TYPE_INT2 -> 0;
      case JCoMetaData.TYPE_BCD -> BigDecimal.ZERO;
      case JCoMetaData.TYPE_DATE -> null;
      case JCoMetaData.TYPE_STRUCTURE -> new SimStructure(f.lineType());
      case JCoMetaData.TYPE_TABLE -> new SimTable(f.lineType());
      default -> "";
    };
  }

  static Object convert(FieldMeta f, Object value, String owner) {
    if (value == null) {
      return initial(f);
    }
    return switch (f.type()) {
      case JCoMetaData.TYPE_CHAR -> toChar(f, text(value), owner);
      case JCoMetaData.TYPE_NUM -> toNumc(f, text(value).strip(), owner);
      case JCoMetaData.TYPE_INT, JCoMetaData.TYPE_INT1, JCoMetaData.TYPE_INT2 -> toInt(f, value, owner);
      case JCoMetaData.TYPE_BCD -> toBigDecimal(f, value, owner);
      case JCoMetaData.TYPE_DATE -> toDate(f, value, owner);
      case JCoMetaData.TYPE_STRING -> text(value);
      case JCoMetaData.TYPE_STRUCTURE, JCoMetaData.TYPE_TABLE -> toRecord(f, value, owner);
      default -> throw refused(f, value, owner, "this field type is not supported by the simulator");
    };
  }

  private static String text(Object value) {
    if (value instanceof Date d) {
      return DATS.format(d.toInstant().atZone(ZoneOffset.UTC).toLocalDate());
    }
    if (value instanceof BigDecimal b) {
      return b.toPlainString();
    }
    return String.valueOf(value);
  }

  private static String toChar(FieldMeta f, String s, String owner) {
    String trimmed = s.stripTrailing();
    if (trimmed.length() > f.length()) {
      throw new ConversionException("Value of length " + trimmed.length() + " is too long for field "
          + f.name() + " (CHAR " + f.length() + ") of " + owner);
    }
    return trimmed;
  }

  private static String toNumc(FieldMeta f, String s, String owner) {
    if (s.isEmpty()) {
      return "0".repeat(f.length());
    }
    if (!s.chars().allMatch(c -> c >= '0' && c <= '9') || s.length() > f.length()) {
      throw refused(f, s, owner, "NUMC " + f.length() + " takes up to " + f.length() + " digits");
    }
    return "0".repeat(f.length() - s.length()) + s;
  }

  private static Integer toInt(FieldMeta f, Object value, String owner) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    String s = text(value).strip();
    try {
      return s.isEmpty() ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw refused(f, value, owner, "not an integer");
    }
  }

  private static BigDecimal toBigDecimal(FieldMeta f, Object value, String owner) {
    if (value instanceof BigDecimal b) {
      return b;
    }
    try {
      String s = text(value).strip();
      return s.isEmpty() ? BigDecimal.ZERO : new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw refused(f, value, owner, "not a decimal number");
    }
  }

  private static Date toDate(FieldMeta f, Object value, String owner) {
    if (value instanceof Date d) {
      return new Date(d.getTime());
    }
    String s = text(value).strip();
    if (s.isEmpty() || s.equals("00000000")) {
      return null;
    }
    try {
      LocalDate d = s.contains("-") ? LocalDate.parse(s, ISO) : LocalDate.parse(s, DATS);
      return Date.from(d.atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (DateTimeParseException e) {
      throw refused(f, value, owner, "dates are yyyy-MM-dd or yyyyMMdd");
    }
  }

  private static Object toRecord(FieldMeta f, Object value, String owner) {
    if (value instanceof SimRecord r && r.meta().getName().equals(f.lineType().getName())) {
      return r.clone();
    }
    throw refused(f, value, owner, "expects a " + f.lineType().getName());
  }

  private static ConversionException refused(FieldMeta f, Object value, String owner, String why) {
    return new ConversionException("Cannot convert value '" + value + "' for field " + f.name() + " ("
        + f.typeName() + ") of " + owner + ": " + why);
  }

  static String asString(FieldMeta f, Object v) {
    if (v == null) {
      // JCo shows an initial DATS field as ABAP's initial date.
      return f.type() == JCoMetaData.TYPE_DATE ? "0000-00-00" : "";
    }
    if (v instanceof Date d) {
      return ISO.format(d.toInstant().atZone(ZoneOffset.UTC).toLocalDate());
    }
    if (v instanceof SimRecord r) {
      return r.meta().getName();
    }
    return text(v);
  }

  static long asLong(FieldMeta f, Object v, String owner) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v instanceof String s) {
      try {
        return s.isBlank() ? 0 : Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        throw refused(f, v, owner, "not a number");
      }
    }
    throw refused(f, v, owner, "not a number");
  }

  static BigDecimal asBigDecimal(FieldMeta f, Object v, String owner) {
    if (v instanceof BigDecimal b) {
      return b;
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (v instanceof String s) {
      try {
        return s.isBlank() ? BigDecimal.ZERO : new BigDecimal(s.strip());
      } catch (NumberFormatException e) {
        throw refused(f, v, owner, "not a decimal number");
      }
    }
    throw refused(f, v, owner, "not a decimal number");
  }

  static Date asDate(FieldMeta f, Object v, String owner) {
    if (v == null || v instanceof Date) {
      return v == null ? null : new Date(((Date) v).getTime());
    }
    if (v instanceof String s) {
      return toDate(f, s, owner);
    }
    throw refused(f, v, owner, "not a date");
  }
}
