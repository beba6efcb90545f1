package com.sap.conn.jco;

/** The import, export, changing or table parameters of a function module. */
public interface JCoParameterList extends JCoRecord {

  JCoListMetaData getListMetaData();

  /** Whether the parameter takes part in the call; an inactive export is not sent back. */
  boolean isActive(String name);

  void setActive(String name, boolean active);
}
