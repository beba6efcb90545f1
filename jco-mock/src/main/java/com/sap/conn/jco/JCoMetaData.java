package com.sap.conn.jco;

import java.io.Serializable;

/** The description of a record's or parameter list's fields: names, ABAP types and lengths. */
public interface JCoMetaData extends Serializable, Cloneable {

  int TYPE_INVALID = -1;
  int TYPE_CHAR = 0;
  int TYPE_DATE = 1;
  int TYPE_BCD = 2;
  int TYPE_TIME = 3;
  int TYPE_BYTE = 4;
  int TYPE_NUM = 6;
  int TYPE_FLOAT = 7;
  int TYPE_INT = 8;
  int TYPE_INT2 = 9;
  int TYPE_INT1 = 10;
  int TYPE_STRUCTURE = 17;
  int TYPE_STRING = 29;
  int TYPE_XSTRING = 30;
  int TYPE_TABLE = 99;

  /** The name of the structure, table type or parameter list. */
  String getName();

  int getFieldCount();

  String getName(int index);

  /** The index of the named field, or -1 when there is none. */
  int indexOf(String name);

  boolean hasField(String name);

  int getType(int index);

  int getType(String name);

  String getTypeAsString(int index);

  String getTypeAsString(String name);

  /** The length in characters for character-like fields. */
  int getLength(int index);

  int getLength(String name);

  int getDecimals(int index);

  int getDecimals(String name);

  /** The width in bytes in a non-Unicode system; for BCD the packed bytes. */
  int getByteLength(int index);

  int getByteLength(String name);

  /** The width in bytes in a Unicode system (two bytes per character for character-like types). */
  int getUnicodeByteLength(int index);

  int getUnicodeByteLength(String name);

  String getDescription(int index);

  String getDescription(String name);

  boolean isStructure(int index);

  boolean isTable(int index);

  boolean isStructure(String name);

  boolean isTable(String name);

  /** The DDIC name of a structure or table field's line type. */
  String getRecordTypeName(int index);

  String getRecordTypeName(String name);

  JCoRecordMetaData getRecordMetaData(int index);

  JCoRecordMetaData getRecordMetaData(String name);
}
