package io.ferry.sapsim;

import com.sap.conn.jco.JCoMetaData;

/**
 * One field of a DDIC structure or one parameter of a function module. {@code lineType} is set for
 * structure and table fields; {@code direction} and {@code defaultValue} only for parameters.
 *
 * <p>{@code length} is what JCo's {@code getLength} reports: characters for CHAR, NUMC, DATE and TIME,
 * bytes for BCD (packed), RAW and the integers, 8 for FLOAT, 0 for STRING and XSTRING (no fixed width).
 */
record FieldMeta(String name, int type, int length, int decimals, String description,
    RecordMeta lineType, Direction direction, boolean optional, String defaultValue) {

  enum Direction { IMPORT, EXPORT, CHANGING, TABLES }

  private static FieldMeta of(String name, int type, int length, int decimals, String description) {
    return new FieldMeta(name, type, length, decimals, description, null, null, false, null);
  }

  static FieldMeta chars(String name, int length, String description) {
    return of(name, JCoMetaData.TYPE_CHAR, length, 0, description);
  }

  static FieldMeta numc(String name, int length, String description) {
    return of(name, JCoMetaData.TYPE_NUM, length, 0, description);
  }

  static FieldMeta date(String name, String description) {
    return of(name, JCoMetaData.TYPE_DATE, 8, 0, description);
  }

  static FieldMeta time(String name, String description) {
    return of(name, JCoMetaData.TYPE_TIME, 6, 0, description);
  }

  /** A packed decimal (QUAN, CURR, DEC): {@code digits} in all, {@code decimals} of them after the point. */
  static FieldMeta bcd(String name, int digits, int decimals, String description) {
    return of(name, JCoMetaData.TYPE_BCD, digits / 2 + 1, decimals, description);
  }

  /** A packed decimal given as ABAP declares it: {@code TYPE p LENGTH bytes DECIMALS decimals}. */
  static FieldMeta packed(String name, int bytes, int decimals, String description) {
    return of(name, JCoMetaData.TYPE_BCD, bytes, decimals, description);
  }

  static FieldMeta integer(String name, String description) {
    return of(name, JCoMetaData.TYPE_INT, 4, 0, description);
  }

  static FieldMeta int2(String name, String description) {
    return of(name, JCoMetaData.TYPE_INT2, 2, 0, description);
  }

  static FieldMeta int1(String name, String description) {
    return of(name, JCoMetaData.TYPE_INT1, 1, 0, description);
  }

  static FieldMeta fltp(String name, String description) {
    return of(name, JCoMetaData.TYPE_FLOAT, 8, 16, description);
  }

  static FieldMeta raw(String name, int bytes, String description) {
    return of(name, JCoMetaData.TYPE_BYTE, bytes, 0, description);
  }

  static FieldMeta string(String name, String description) {
    return of(name, JCoMetaData.TYPE_STRING, 0, 0, description);
  }

  static FieldMeta xstring(String name, String description) {
    return of(name, JCoMetaData.TYPE_XSTRING, 0, 0, description);
  }

  static FieldMeta structure(String name, RecordMeta type, String description) {
    return new FieldMeta(name, JCoMetaData.TYPE_STRUCTURE, 0, 0, description, type, null, false, null);
  }

  static FieldMeta table(String name, RecordMeta lineType, String description) {
    return new FieldMeta(name, JCoMetaData.TYPE_TABLE, 0, 0, description, lineType, null, false, null);
  }

  FieldMeta asParameter(Direction dir, boolean isOptional) {
    return new FieldMeta(name, type, length, decimals, description, lineType, dir, isOptional, defaultValue);
  }

  /** The same parameter with the default value its function module declares (the ABAP literal, as JCo shows it). */
  FieldMeta withDefault(String value) {
    return new FieldMeta(name, type, length, decimals, description, lineType, direction, optional, value);
  }

  boolean isStructure() {
    return type == JCoMetaData.TYPE_STRUCTURE;
  }

  boolean isTable() {
    return type == JCoMetaData.TYPE_TABLE;
  }

  /** Bytes on a non-Unicode connection: one per character for character-like types. */
  int byteLength() {
    return switch (type) {
      case JCoMetaData.TYPE_STRING, JCoMetaData.TYPE_XSTRING -> 8; // a reference, as the RFC layer carries it
      case JCoMetaData.TYPE_STRUCTURE -> lineType.fields().stream().mapToInt(FieldMeta::byteLength).sum();
      case JCoMetaData.TYPE_TABLE -> 8;
      default -> length;
    };
  }

  /** Bytes on a Unicode connection: two per character for CHAR, NUMC, DATE and TIME. */
  int unicodeByteLength() {
    return switch (type) {
      case JCoMetaData.TYPE_CHAR, JCoMetaData.TYPE_NUM, JCoMetaData.TYPE_DATE, JCoMetaData.TYPE_TIME -> 2 * length;
      case JCoMetaData.TYPE_STRUCTURE -> lineType.fields().stream().mapToInt(FieldMeta::unicodeByteLength).sum();
      default -> byteLength();
    };
  }

  /** The digits a packed field holds: two per byte, less the sign's half byte. */
  int bcdDigits() {
    return 2 * length - 1;
  }

  String typeName() {
    return switch (type) {
      case JCoMetaData.TYPE_CHAR -> "CHAR";
      case JCoMetaData.TYPE_NUM -> "NUM";
      case JCoMetaData.TYPE_DATE -> "DATE";
      case JCoMetaData.TYPE_TIME -> "TIME";
      case JCoMetaData.TYPE_INT -> "INT";
      case JCoMetaData.TYPE_INT2 -> "INT2";
      case JCoMetaData.TYPE_INT1 -> "INT1";
      case JCoMetaData.TYPE_BCD -> "BCD";
      case JCoMetaData.TYPE_FLOAT -> "FLOAT";
      case JCoMetaData.TYPE_BYTE -> "BYTE";
      case JCoMetaData.TYPE_STRING -> "STRING";
      case JCoMetaData.TYPE_XSTRING -> "XSTRING";
      case JCoMetaData.TYPE_STRUCTURE -> "STRUCTURE";
      case JCoMetaData.TYPE_TABLE -> "TABLE";
      default -> "TYPE_" + type;
    };
  }
}
