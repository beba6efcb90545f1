package com.sap.conn.jco;

/** A flat ABAP structure: one set of named fields. */
public interface JCoStructure extends JCoRecord {

  JCoRecordMetaData getRecordMetaData();
}
