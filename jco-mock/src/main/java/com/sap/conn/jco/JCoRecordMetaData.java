package com.sap.conn.jco;

/** The metadata of a structure or of a table's line type. */
public interface JCoRecordMetaData extends JCoMetaData {
}
