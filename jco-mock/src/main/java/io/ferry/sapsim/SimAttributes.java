package io.ferry.sapsim;

import com.sap.conn.jco.JCoAttributes;

/** What the simulated system reports about a logged-on connection. */
record SimAttributes(String client, String user, String language, String host, String systemNumber)
    implements JCoAttributes {

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
  public String getCodepage() {
    return "4103";
  }
}
