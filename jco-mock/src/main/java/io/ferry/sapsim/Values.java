package io.ferry.sapsim;

import com.sap.conn.jco.ConversionException;
import com.sap.conn.jco.JCoMetaData;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;

/**
 * The conversions between Java values and ABAP field types, as JCo's record getters and setters
 * do them. What a field holds: CHAR, NUMC, STRING a {@code String} (CHAR without trailing blanks, as
 * JCo trims them on read; NUMC zero padded); INT, INT1, INT2 an {@code Integer}; BCD a {@code BigDecimal}
 * at the field's scale; FLOAT a {@code Double}; DATE a {@code Date} at midnight UTC, {@code null} for
 * the initial {@code 00000000}; TIME a {@code Date} on 1970-01-01 UTC; RAW and XSTRING a {@code byte[]}.
 *
 * <p>A value the type cannot take raises {@link ConversionException}. A CHAR value longer than the field
 * is refused rather than cut: a silently shortened name in SAP is worse than a failed call. A packed
 * value with more decimals than the field is rounded half up, as ABAP's MOVE to a type p field does;
 * more integer digits than the field holds is an overflow and refused.
 */
final class Values {

  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_LOCAL_DATE;
  private static final DateTimeFormatter DATS = DateTimeFormatter.BASIC_ISO_DATE;
  private static final DateTimeFormatter TIMS = DateTimeFormatter.ofPattern("HHmmss");
  private static final DateTimeFormatter TIME_TEXT = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private Values() {}

  static Object initial(FieldMeta f) {
    return switch (f.type()) {
      case JCoMetaData.TYPE_NUM -> "0".repeat(f.length());
      case JCoMetaData.TYPE_INT, JCoMetaData.TYPE_INT1, JCoMetaData.TYPE_INT2 -> 0;
      case JCoMetaData.TYPE_BCD -> BigDecimal.ZERO.setScale(f.decimals());
      case JCoMetaData.TYPE_FLOAT -> 0.0d;
      case JCoMetaData.TYPE_DATE -> null;
      case JCoMetaData.TYPE_TIME -> new Date(0);
      case JCoMetaData.TYPE_BYTE -> new byte[f.length()];
      case JCoMetaData.TYPE_XSTRING -> new byte[0];
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
      case JCoMetaData.TYPE_CHAR -> toChar(f, text(f, value, owner), owner);
      case JCoMetaData.TYPE_NUM -> toNumc(f, text(f, value, owner).strip(), owner);
      case JCoMetaData.TYPE_STRING -> text(f, value, owner);
      case JCoMetaData.TYPE_INT, JCoMetaData.TYPE_INT1, JCoMetaData.TYPE_INT2 -> toInt(f, value, owner);
      case JCoMetaData.TYPE_BCD -> toBcd(f, value, owner);
      case JCoMetaData.TYPE_FLOAT -> toDouble(f, value, owner);
      case JCoMetaData.TYPE_DATE -> toDate(f, value, owner);
      case JCoMetaData.TYPE_TIME -> toTime(f, value, owner);
      case JCoMetaData.TYPE_BYTE, JCoMetaData.TYPE_XSTRING -> toBytes(f, value, owner);
      case JCoMetaData.TYPE_STRUCTURE, JCoMetaData.TYPE_TABLE -> toRecord(f, value, owner);
      default -> throw refused(f, value, owner, "this field type is not supported by the simulator");
    };
  }

  /** The text a character-like field takes from a value: text, a number, a date; never bytes or a record. */
  private static String text(FieldMeta f, Object value, String owner) {
    if (value instanceof String || value instanceof Character || value instanceof Integer
        || value instanceof Long || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
      return String.valueOf(value);
    }
    if (value instanceof BigDecimal b) {
      return b.toPlainString();
    }
    if (value instanceof Date d) {
      return DATS.format(d.toInstant().atZone(ZoneOffset.UTC).toLocalDate());
    }
    if (value instanceof Double || value instanceof Float) {
      return String.valueOf(value);
    }
    throw refused(f, value, owner, "a " + value.getClass().getSimpleName() + " is not text");
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
    long l;
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      l = ((Number) value).longValue();
    } else if (value instanceof BigDecimal || value instanceof BigInteger || value instanceof Double
        || value instanceof Float || value instanceof String) {
      String s = value instanceof String str ? str.strip() : new BigDecimal(value.toString()).toPlainString();
      try {
        l = s.isEmpty() ? 0 : new BigDecimal(s).longValueExact();
      } catch (NumberFormatException | ArithmeticException e) {
        throw refused(f, value, owner, "not a whole number");
      }
    } else {
      throw refused(f, value, owner, "not a number");
    }
    long min = switch (f.type()) {
      case JCoMetaData.TYPE_INT1 -> 0;
      case JCoMetaData.TYPE_INT2 -> Short.MIN_VALUE;
      default -> Integer.MIN_VALUE;
    };
    long max = switch (f.type()) {
      case JCoMetaData.TYPE_INT1 -> 255;
      case JCoMetaData.TYPE_INT2 -> Short.MAX_VALUE;
      default -> Integer.MAX_VALUE;
    };
    if (l < min || l > max) {
      throw refused(f, value, owner, f.typeName() + " takes " + min + " to " + max);
    }
    return (int) l;
  }

  private static BigDecimal decimal(FieldMeta f, Object value, String owner) {
    if (value instanceof BigDecimal b) {
      return b;
    }
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      throw refused(f, value, owner, "not a finite number");
    }
    if (value instanceof Number || value instanceof String) {
      String s = value.toString().strip();
      try {
        return s.isEmpty() ? BigDecimal.ZERO : new BigDecimal(s);
      } catch (NumberFormatException e) {
        throw refused(f, value, owner, "not a decimal number");
      }
    }
    throw refused(f, value, owner, "not a number");
  }

  private static BigDecimal toBcd(FieldMeta f, Object value, String owner) {
    BigDecimal scaled = decimal(f, value, owner).setScale(f.decimals(), RoundingMode.HALF_UP);
    if (scaled.precision() - scaled.scale() > f.bcdDigits() - f.decimals()) {
      throw refused(f, value, owner, "overflow: P " + f.length() + " DECIMALS " + f.decimals() + " holds "
          + (f.bcdDigits() - f.decimals()) + " digits before the point");
    }
    return scaled;
  }

  private static Double toDouble(FieldMeta f, Object value, String owner) {
    return decimal(f, value, owner).doubleValue();
  }

  private static Date toDate(FieldMeta f, Object value, String owner) {
    if (value instanceof Date d) {
      return new Date(d.getTime());
    }
    if (!(value instanceof String)) {
      throw refused(f, value, owner, "a date is a java.util.Date or text");
    }
    String s = ((String) value).strip();
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

  private static Date toTime(FieldMeta f, Object value, String owner) {
    if (value instanceof Date d) {
      LocalTime t = d.toInstant().atZone(ZoneOffset.UTC).toLocalTime().withNano(0);
      return timeOf(t);
    }
    if (!(value instanceof String)) {
      throw refused(f, value, owner, "a time is a java.util.Date or text");
    }
    String s = ((String) value).strip();
    if (s.isEmpty()) {
      return new Date(0);
    }
    try {
      return timeOf(LocalTime.parse(s, s.contains(":") ? TIME_TEXT : TIMS));
    } catch (DateTimeParseException e) {
      throw refused(f, value, owner, "times are HH:mm:ss or HHmmss");
    }
  }

  private static Date timeOf(LocalTime t) {
    return Date.from(t.atDate(LocalDate.EPOCH).toInstant(ZoneOffset.UTC));
  }

  private static byte[] toBytes(FieldMeta f, Object value, String owner) {
    byte[] b;
    if (value instanceof byte[] bytes) {
      b = bytes.clone();
    } else if (value instanceof String s) {
      try {
        b = HEX.parseHex(s.strip());
      } catch (IllegalArgumentException e) {
        throw refused(f, value, owner, "text for a binary field is hexadecimal");
      }
    } else {
      throw refused(f, value, owner, "a binary field takes a byte[] or hexadecimal text");
    }
    if (f.type() == JCoMetaData.TYPE_XSTRING) {
      return b;
    }
    if (b.length > f.length()) {
      throw refused(f, "(" + b.length + " bytes)", owner, "RAW " + f.length() + " takes up to " + f.length() + " bytes");
    }
    return Arrays.copyOf(b, f.length()); // RAW is fixed length, zero padded
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
      return f.type() == JCoMetaData.TYPE_TIME
          ? TIME_TEXT.format(d.toInstant().atZone(ZoneOffset.UTC).toLocalTime())
          : ISO.format(d.toInstant().atZone(ZoneOffset.UTC).toLocalDate());
    }
    if (v instanceof byte[] b) {
      return HEX.formatHex(b);
    }
    if (v instanceof SimRecord r) {
      return r.meta().getName();
    }
    if (v instanceof BigDecimal b) {
      return b.toPlainString();
    }
    return String.valueOf(v);
  }

  /** What {@code getValue} hands out: a copy where the stored value is mutable. */
  static Object copyOut(Object v) {
    if (v instanceof Date d) {
      return new Date(d.getTime());
    }
    if (v instanceof byte[] b) {
      return b.clone();
    }
    return v;
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
    if (v instanceof Double d) {
      return BigDecimal.valueOf(d);
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

  static double asDouble(FieldMeta f, Object v, String owner) {
    return v instanceof Double d ? d : asBigDecimal(f, v, owner).doubleValue();
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

  static Date asTime(FieldMeta f, Object v, String owner) {
    if (v instanceof Date d) {
      return new Date(d.getTime());
    }
    if (v instanceof String s) {
      return toTime(f, s, owner);
    }
    throw refused(f, v, owner, "not a time");
  }

  static byte[] asBytes(FieldMeta f, Object v, String owner) {
    if (v instanceof byte[] b) {
      return b.clone();
    }
    throw refused(f, v, owner, "not a binary field");
  }
}
