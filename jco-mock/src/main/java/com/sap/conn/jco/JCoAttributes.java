package com.sap.conn.jco;

import java.io.Serializable;

/**
 * What the SAP system reports about a connection: system id, client, user, release, code pages. The
 * members of SAP JCo 3's interface, no more ({@code JcoApiSurfaceTest}).
 */
public interface JCoAttributes extends Serializable {

  String getDestination();

  /** This side's host (the agent's). */
  String getHost();

  String getPartnerHost();

  String getSystemID();

  String getSystemNumber();

  String getClient();

  String getUser();

  /** The SAP one-letter logon language key, for example {@code E}. */
  String getLanguage();

  /** The ISO 639-1 logon language, for example {@code EN}. */
  String getISOLanguage();

  String getOwnCodepage();

  String getOwnCharset();

  String getOwnEncoding();

  int getOwnBytesPerChar();

  String getPartnerCodepage();

  String getPartnerCharset();

  String getPartnerEncoding();

  int getPartnerBytesPerChar();

  String getRelease();

  String getPartnerRelease();

  String getKernelRelease();

  char getPartnerType();

  boolean getTrace();

  char getRfcRole();

  char getType();

  String getCPICConversationID();

  String getSSOTicket();

  int getPartnerReleaseNumber();
}
