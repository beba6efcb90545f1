package com.sap.conn.jco;

/** The function module and structure definitions of one SAP system. */
public interface JCoRepository {

  String getName();

  /** A new function instance, or {@code null} when the system has no such function module. */
  JCoFunction getFunction(String functionName) throws JCoException;

  /** The function's interface, or {@code null} when the system has no such function module. */
  JCoFunctionTemplate getFunctionTemplate(String functionName) throws JCoException;

  /** The definition of a DDIC structure, or {@code null} when there is none. */
  JCoRecordMetaData getStructureDefinition(String structureName) throws JCoException;
}
