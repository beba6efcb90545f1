package com.sap.conn.jco;

/** What the SAP system reports about a connection: system id, client, user, release. */
public interface JCoAttributes {

  String getSystemID();

  String getClient();

  String getUser();

  /** The SAP one-letter logon language key, for example {@code E}. */
  String getLanguage();

  /** The ISO 639-1 logon language, for example {@code EN}. */
  String getISOLanguage();

  String getHost();

  String getPartnerHost();

  String getSystemNumber();

  String getPartnerRelease();

  String getCodepage();
}
