package com.sap.conn.jco;

/**
 * One call of a remote-enabled function module: the parameter lists to fill and read, and
 * {@link #execute(JCoDestination)}. A parameter list is {@code null} when the function has none of
 * that kind.
 */
public interface JCoFunction {

  String getName();

  JCoParameterList getImportParameterList();

  JCoParameterList getExportParameterList();

  JCoParameterList getChangingParameterList();

  JCoParameterList getTableParameterList();

  AbapException[] getExceptionList();

  AbapException getException(String key);

  JCoFunctionTemplate getFunctionTemplate();

  /**
   * Calls the function module synchronously (sRFC). Inside a {@link JCoContext} the call runs in
   * the context's SAP session; otherwise in a session of its own that ends with the call.
   */
  void execute(JCoDestination destination) throws JCoException;

  String toXML();
}
