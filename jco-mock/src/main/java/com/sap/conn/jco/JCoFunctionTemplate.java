package com.sap.conn.jco;

import java.io.Serializable;

/**
 * The interface of a function module, from which {@link JCoFunction} instances are made. Its exceptions
 * are on {@link JCoFunction#getExceptionList()}: JCo 3's template has no such method.
 */
public interface JCoFunctionTemplate extends Serializable {

  String getName();

  JCoFunction getFunction();

  JCoListMetaData getImportParameterList();

  JCoListMetaData getExportParameterList();

  JCoListMetaData getChangingParameterList();

  JCoListMetaData getTableParameterList();
}
