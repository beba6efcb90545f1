package io.ferry.sapsim;

import com.sap.conn.jco.JCoAttributes;

/** What the simulated system reports about a logged-on connection. */
record SimAttributes(String destination, String client, String user, String language, String host, String systemNumber)
    implements JCoAttributes {

  private static final long serialVersionUID = 1L;
  /** SAP code page 4103: UTF-16 little endian, what a Unicode system on x86 runs with. */
  private static final String UNICODE_CODEPAGE = "4103";

  @Override
  public String getDestination() {
    return destination;
  }

  @Override
  public String getSystemID() {
    return SapSystem.SYSTEM_ID;
  }

  @Override
  public String getClient() {
    return client;
  }

  @Override
  public String getUser() {
    return user;
  }

  @Override
  public String getLanguage() {
    return language;
  }

  @Override
  public String getISOLanguage() {
    return Languages.toIso(language);
  }

  @Override
  public String getHost() {
    return "ferry-agent";
  }

  @Override
  public String getPartnerHost() {
    return host;
  }

  @Override
  public String getSystemNumber() {
    return systemNumber;
  }

  @Override
  public String getPartnerRelease() {
    return "758";
  }

  @Override
  public String getOwnCodepage() {
    return UNICODE_CODEPAGE;
  }

  @Override
  public String getOwnCharset() {
    return "UTF-16LE";
  }

  @Override
  public String getOwnEncoding() {
    return "UTF-16LE";
  }

  @Override
  public int getOwnBytesPerChar() {
    return 2;
  }

  @Override
  public String getPartnerCodepage() {
    return UNICODE_CODEPAGE;
  }

  @Override
  public String getPartnerCharset() {
    return "UTF-16LE";
  }

  @Override
  public String getPartnerEncoding() {
    return "UTF-16LE";
  }

  @Override
  public int getPartnerBytesPerChar() {
    return 2;
  }

  /** The JCo release on this side. */
  @Override
  public String getRelease() {
    return "3.1";
  }

  @Override
  public String getKernelRelease() {
    return "793";
  }

  /** {@code 3}: an ABAP system (R/3 and successors). */
  @Override
  public char getPartnerType() {
    return '3';
  }

  @Override
  public boolean getTrace() {
    return false;
  }

  /** {@code C}: this side is the RFC client. */
  @Override
  public char getRfcRole() {
    return 'C';
  }

  /** {@code E}: this side is an external program. */
  @Override
  public char getType() {
    return 'E';
  }

  @Override
  public String getCPICConversationID() {
    return "00000000";
  }

  @Override
  public String getSSOTicket() {
    return null;
  }

  @Override
  public int getPartnerReleaseNumber() {
    return 758;
  }
}
