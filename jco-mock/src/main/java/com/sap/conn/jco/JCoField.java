package com.sap.conn.jco;

import java.math.BigDecimal;
import java.util.Date;

/** One field of a record, as the record's iterator hands it out. */
public interface JCoField {

  String getName();

  String getDescription();

  int getType();

  String getTypeAsString();

  int getLength();

  int getDecimals();

  boolean isStructure();

  boolean isTable();

  boolean isInitialized();

  Object getValue();

  String getString();

  int getInt();

  long getLong();

  double getDouble();

  BigDecimal getBigDecimal();

  Date getDate();

  Date getTime();

  byte[] getByteArray();

  JCoStructure getStructure();

  JCoTable getTable();

  void setValue(String value);

  void setValue(int value);

  void setValue(Object value);
}
