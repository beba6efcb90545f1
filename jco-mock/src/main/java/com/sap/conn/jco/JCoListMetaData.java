package com.sap.conn.jco;

/** The metadata of a function module's parameter list, with each parameter's direction. */
public interface JCoListMetaData extends JCoMetaData {

  boolean isImport(int index);

  boolean isExport(int index);

  boolean isChanging(int index);

  boolean isOptional(int index);

  boolean isOptional(String name);

  /** The default value the function module declares for an import parameter, or {@code null}. */
  String getDefault(int index);

  String getDefault(String name);
}
