package com.sap.conn.jco;

/** The interface of a function module, from which {@link JCoFunction} instances are made. */
public interface JCoFunctionTemplate {

  String getName();

  JCoFunction getFunction();

  JCoListMetaData getImportParameterList();

  JCoListMetaData getExportParameterList();

  JCoListMetaData getChangingParameterList();

  JCoListMetaData getTableParameterList();

  AbapException[] getExceptionList();
}
