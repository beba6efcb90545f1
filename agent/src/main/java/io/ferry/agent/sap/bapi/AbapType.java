package io.ferry.agent.sap.bapi;

import com.sap.conn.jco.JCoMetaData;
import java.util.Locale;

/**
 * The ABAP types a function's parameters and fields have, as JCo names them. Told apart by JCo's type name
 * ({@code getTypeAsString}) first, the type constant second: SAP's reference says to compare by name, and the names of
 * newer types (DECF16, INT8) are the same in every JCo release while their constants are not in every one.
 */
enum AbapType {
  CHAR, NUM, STRING, INT, INT1, INT2, INT8, BCD, DECF16, DECF34, FLOAT, DATE, TIME, BYTE, XSTRING, STRUCTURE, TABLE,
  /** A type Ferry does not map (ABAP objects, UTCLONG …): such a parameter is described, but cannot be sent. */
  OTHER;

  static AbapType of(JCoMetaData meta, int index) {
    if (meta.isTable(index)) {
      return TABLE;
    }
    if (meta.isStructure(index)) {
      return STRUCTURE;
    }
    String name = meta.getTypeAsString(index);
    if (name != null) {
      switch (name.toUpperCase(Locale.ROOT)) {
        case "CHAR", "C" -> { return CHAR; }
        case "NUM", "NUMC", "N" -> { return NUM; }
        case "STRING", "G" -> { return STRING; }
        case "INT", "INT4", "I" -> { return INT; }
        case "INT1", "B" -> { return INT1; }
        case "INT2", "S" -> { return INT2; }
        case "INT8" -> { return INT8; }
        case "BCD", "P", "DEC" -> { return BCD; }
        case "DECF16" -> { return DECF16; }
        case "DECF34" -> { return DECF34; }
        case "FLOAT", "F" -> { return FLOAT; }
        case "DATE", "D", "DATS" -> { return DATE; }
        case "TIME", "T", "TIMS" -> { return TIME; }
        case "BYTE", "X", "RAW" -> { return BYTE; }
        case "XSTRING", "Y" -> { return XSTRING; }
        default -> { }
      }
    }
    return switch (meta.getType(index)) {
      case JCoMetaData.TYPE_CHAR -> CHAR;
      case JCoMetaData.TYPE_NUM -> NUM;
      case JCoMetaData.TYPE_STRING -> STRING;
      case JCoMetaData.TYPE_INT -> INT;
      case JCoMetaData.TYPE_INT1 -> INT1;
      case JCoMetaData.TYPE_INT2 -> INT2;
      case JCoMetaData.TYPE_BCD -> BCD;
      case JCoMetaData.TYPE_FLOAT -> FLOAT;
      case JCoMetaData.TYPE_DATE -> DATE;
      case JCoMetaData.TYPE_TIME -> TIME;
      case JCoMetaData.TYPE_BYTE -> BYTE;
      case JCoMetaData.TYPE_XSTRING -> XSTRING;
      case 23 -> DECF16; // JCo's TYPE_DECF16, not in every JCo release's constants
      case 24 -> DECF34; // TYPE_DECF34
      default -> OTHER;
    };
  }

  /** The integer types' bounds, as ABAP's INT1, INT2, INT4 and INT8 hold them. */
  long min() {
    return switch (this) {
      case INT1 -> 0;
      case INT2 -> Short.MIN_VALUE;
      case INT -> Integer.MIN_VALUE;
      default -> Long.MIN_VALUE;
    };
  }

  long max() {
    return switch (this) {
      case INT1 -> 255;
      case INT2 -> Short.MAX_VALUE;
      case INT -> Integer.MAX_VALUE;
      default -> Long.MAX_VALUE;
    };
  }

  boolean isInteger() {
    return this == INT || this == INT1 || this == INT2 || this == INT8;
  }

  boolean isDecimal() {
    return this == BCD || this == DECF16 || this == DECF34;
  }

  /**
   * The digits a packed field holds in all: JCo reports a BCD field's length in bytes, two digits to a byte but the
   * last half-byte for the sign. For a decimal floating type, its precision.
   */
  static int digits(AbapType type, int length) {
    return switch (type) {
      case DECF16 -> 16;
      case DECF34 -> 34;
      default -> Math.max(1, 2 * length - 1);
    };
  }
}
