package io.ferry.sapsim;

import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_ASHOST;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_CLIENT;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_GROUP;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_LANG;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_MSHOST;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_MSSERV;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_PASSWD;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_R3NAME;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_SAPROUTER;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_SYSNR;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_USER;

import com.sap.conn.jco.JCoAttributes;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoRepository;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * A destination whose properties came from the registered provider; every one of them reaches
 * the simulated system. The properties are checked like JCo checks them when it builds a
 * destination; the logon is checked on the first remote action, as a real logon happens then.
 *
 * <p>Logon: user {@code FERRY} (any case) with any non-empty password, or exactly the user and
 * password given by the mock-only properties {@code jco.mock.user} and {@code jco.mock.passwd}.
 * The password is never part of a message or of {@link #toString()}.
 */
final class SimDestination implements JCoDestination {

  static final String MOCK_USER = "jco.mock.user";
  static final String MOCK_PASSWD = "jco.mock.passwd";
  static final String DEFAULT_USER = "FERRY";

  private final String name;
  private final Properties properties;
  private final String id = UUID.randomUUID().toString();
  private final SapSystem system;

  SimDestination(String name, Properties source, SapSystem system) throws JCoException {
    this.name = name;
    this.properties = new Properties();
    this.properties.putAll(source);
    this.system = system;
    validate();
  }

  private void validate() throws JCoException {
    boolean direct = !prop(JCO_ASHOST).isBlank();
    boolean balanced = !prop(JCO_MSHOST).isBlank();
    if (!direct && !balanced) {
      throw invalid("neither " + JCO_ASHOST + " nor " + JCO_MSHOST + " is set");
    }
    if (direct && prop(JCO_SYSNR).isBlank()) {
      throw invalid(JCO_SYSNR + " is required with " + JCO_ASHOST);
    }
    if (!direct && prop(JCO_R3NAME).isBlank() && prop(JCO_MSSERV).isBlank()) {
      throw invalid(JCO_R3NAME + " or " + JCO_MSSERV + " is required with " + JCO_MSHOST);
    }
    if (!prop(JCO_CLIENT).matches("\\d{3}")) {
      throw invalid(JCO_CLIENT + " must be a three-digit SAP client, was '" + prop(JCO_CLIENT) + "'");
    }
  }

  private JCoException invalid(String why) {
    return new JCoException(JCoException.JCO_ERROR_DESTINATION_DATA_INVALID,
        "JCO_ERROR_DESTINATION_DATA_INVALID", "Destination " + name + " is invalid: " + why);
  }

  private String prop(String key) {
    return properties.getProperty(key, "");
  }

  SapSystem system() {
    return system;
  }

  /** Throws what SAP answers to a bad logon; never mentions the password. */
  void checkLogon() throws JCoException {
    String user = prop(JCO_USER);
    String password = prop(JCO_PASSWD);
    if (user.isBlank() || password.isEmpty()) {
      throw new JCoException(JCoException.JCO_ERROR_LOGON_FAILURE, "JCO_ERROR_LOGON_FAILURE",
          "Destination " + name + " has no user or no password (" + JCO_USER + ", " + JCO_PASSWD + ")");
    }
    String expectedUser = properties.getProperty(MOCK_USER, DEFAULT_USER);
    String expectedPassword = properties.getProperty(MOCK_PASSWD);
    boolean userOk = user.equalsIgnoreCase(expectedUser);
    boolean passwordOk = expectedPassword == null || expectedPassword.equals(password);
    if (!userOk || !passwordOk) {
      throw new JCoException(JCoException.JCO_ERROR_LOGON_FAILURE, "JCO_ERROR_LOGON_FAILURE",
          "Name or password is incorrect (repeat logon)");
    }
  }

  @Override
  public String getDestinationName() {
    return name;
  }

  @Override
  public String getDestinationID() {
    return id;
  }

  @Override
  public JCoRepository getRepository() throws JCoException {
    system.remote(this);
    return new SimRepository(name);
  }

  @Override
  public JCoAttributes getAttributes() throws JCoException {
    system.remote(this);
    String lang = prop(JCO_LANG).isBlank() ? "E" : prop(JCO_LANG);
    if (lang.length() == 2) {
      lang = Languages.fromIso(lang).orElse("E");
    }
    return new SimAttributes(getClient(), getUser().toUpperCase(Locale.ROOT), lang,
        direct() ? prop(JCO_ASHOST) : prop(JCO_MSHOST), getSystemNumber());
  }

  private boolean direct() {
    return !prop(JCO_ASHOST).isBlank();
  }

  @Override
  public void ping() throws JCoException {
    system.remote(this);
  }

  @Override
  public String getClient() {
    return prop(JCO_CLIENT);
  }

  @Override
  public String getUser() {
    return prop(JCO_USER);
  }

  @Override
  public String getLanguage() {
    return prop(JCO_LANG);
  }

  @Override
  public String getApplicationServerHost() {
    return prop(JCO_ASHOST);
  }

  @Override
  public String getSystemNumber() {
    return prop(JCO_SYSNR);
  }

  @Override
  public String getMessageServerHost() {
    return prop(JCO_MSHOST);
  }

  @Override
  public String getR3Name() {
    return prop(JCO_R3NAME);
  }

  @Override
  public String getLogonGroup() {
    return prop(JCO_GROUP);
  }

  @Override
  public String getSAPRouterString() {
    return prop(JCO_SAPROUTER);
  }

  @Override
  public String toString() {
    return "Destination " + name + " (" + (direct() ? prop(JCO_ASHOST) + "/" + prop(JCO_SYSNR) : prop(JCO_MSHOST))
        + ", client " + getClient() + ", user " + getUser() + ")";
  }
}
