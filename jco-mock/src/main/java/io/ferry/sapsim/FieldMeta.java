package io.ferry.sapsim;

import com.sap.conn.jco.JCoMetaData;

/**
 * One field of a DDIC structure or one parameter of a function module. {@code lineType} is set for
 * structure and table fields; {@code direction} only for parameters.
 */
record FieldMeta(String name, int type, int length, int decimals, String description,
    RecordMeta lineType, Direction direction, boolean optional) {

  enum Direction { IMPORT, EXPORT, CHANGING, TABLES }

  static FieldMeta chars(String name, int length, String description) {
    return new FieldMeta(name, JCoMetaData.TYPE_CHAR, length, 0, description, null, null, false);
  }

  static FieldMeta numc(String name, int length, String description) {
    return new FieldMeta(name, JCoMetaData.TYPE_NUM, length, 0, description, null, null, false);
  }

  static FieldMeta date(String name, String description) {
    return new FieldMeta(name, JCoMetaData.TYPE_DATE, 8, 0, description, null, null, false);
  }

  /** A packed decimal (QUAN, CURR, DEC): {@code digits} in all, {@code decimals} of them after the point. */
  static FieldMeta bcd(String name, int digits, int decimals, String description) {
    return new FieldMeta(name, JCoMetaData.TYPE_BCD, digits / 2 + 1, decimals, description, null, null, false);
  }

  static FieldMeta integer(String name, String description) {
    return new FieldMeta(name, JCoMetaData.TYPE_INT, 4, 0, description, null, null, false);
  }

  FieldMeta asParameter(Direction dir, boolean isOptional) {
    return new FieldMeta(name, type, length, decimals, description, lineType, dir, isOptional);
  }

  static FieldMeta structure(String name, RecordMeta type, String description) {
    return new FieldMeta(name, JCoMetaData.TYPE_STRUCTURE, 0, 0, description, type, null, false);
  }

  static FieldMeta table(String name, RecordMeta lineType, String description) {
    return new FieldMeta(name, JCoMetaData.TYPE_TABLE, 0, 0, description, lineType, null, false);
  }

  boolean isStructure() {
    return type == JCoMetaData.TYPE_STRUCTURE;
  }

  boolean isTable() {
    return type == JCoMetaData.TYPE_TABLE;
  }

  String typeName() {
    return switch (type) {
      case JCoMetaData.TYPE_CHAR -> "CHAR";
      case JCoMetaData.TYPE_NUM -> "NUM";
      case JCoMetaData.TYPE_DATE -> "DATE";
      case JCoMetaData.TYPE_INT -> "INT";
      case JCoMetaData.TYPE_BCD -> "BCD";
      case JCoMetaData.TYPE_STRING -> "STRING";
      case JCoMetaData.TYPE_STRUCTURE -> "STRUCTURE";
      case JCoMetaData.TYPE_TABLE -> "TABLE";
      default -> "TYPE_" + type;
    };
  }
}
