package com.sap.conn.jco;

/**
 * A configured way to an SAP system, as its destination properties describe it. It holds no
 * connection itself: the JCo runtime opens and pools connections per call or per
 * {@link JCoContext}.
 */
public interface JCoDestination {

  String getDestinationName();

  String getDestinationID();

  JCoRepository getRepository() throws JCoException;

  JCoAttributes getAttributes() throws JCoException;

  /** Opens a connection, logs on and closes it again; throws what a real call would throw. */
  void ping() throws JCoException;

  String getClient();

  String getUser();

  String getLanguage();

  String getApplicationServerHost();

  String getSystemNumber();

  String getMessageServerHost();

  String getR3Name();

  String getLogonGroup();

  String getSAPRouterString();
}
