package com.sap.conn.jco;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Date;
import java.util.Iterator;

/**
 * The base of every data container: a parameter list, a structure or the current row of a table.
 * Getters and setters convert between Java values and the field's ABAP type; a value that does not
 * fit raises {@link ConversionException}, an unknown field name {@link JCoRuntimeException} of group
 * {@link JCoException#JCO_ERROR_FIELD_NOT_FOUND}.
 */
public interface JCoRecord extends Serializable, Cloneable, Iterable<JCoField> {

  JCoMetaData getMetaData();

  int getFieldCount();

  /** A deep copy. */
  Object clone();

  /** Sets every field back to its initial value. */
  void clear();

  boolean isInitialized(int index);

  boolean isInitialized(String name);

  Object getValue(int index);

  Object getValue(String name);

  String getString(int index);

  String getString(String name);

  int getInt(int index);

  int getInt(String name);

  long getLong(int index);

  long getLong(String name);

  double getDouble(int index);

  double getDouble(String name);

  BigDecimal getBigDecimal(int index);

  BigDecimal getBigDecimal(String name);

  Date getDate(int index);

  Date getDate(String name);

  /** A TIME field's value (on 1970-01-01, UTC in this stand-in). */
  Date getTime(int index);

  Date getTime(String name);

  /** A RAW (TYPE_BYTE) or XSTRING field's bytes. */
  byte[] getByteArray(int index);

  byte[] getByteArray(String name);

  JCoStructure getStructure(int index);

  JCoStructure getStructure(String name);

  JCoTable getTable(int index);

  JCoTable getTable(String name);

  void setValue(int index, String value);

  void setValue(String name, String value);

  void setValue(int index, int value);

  void setValue(String name, int value);

  void setValue(int index, long value);

  void setValue(String name, long value);

  void setValue(int index, double value);

  void setValue(String name, double value);

  void setValue(int index, BigDecimal value);

  void setValue(String name, BigDecimal value);

  void setValue(int index, Object value);

  void setValue(String name, Object value);

  String toXML();

  @Override
  Iterator<JCoField> iterator();
}
