package io.ferry.agent.sap.bapi;

import com.sap.conn.jco.ext.DestinationDataProvider;
import java.util.Map;
import java.util.Properties;

/** The agent's destinations in tests, installed the way the agent installs them at run time. */
final class SimDestinations {

  static final String SIM = "FERRY_SIM";
  static final String WRONG_PASSWORD = "FERRY_WRONG_PASSWORD";
  /** A system that lacks BAPI_CUSTOMER_FIND. */
  static final String WITHOUT_FIND = "FERRY_WITHOUT_FIND";
  /** The network to it is down: every remote action fails with group 102. */
  static final String UNREACHABLE = "FERRY_UNREACHABLE";
  /** The user lacks S_RFC for BAPI_CUSTOMER_FIND. */
  static final String NO_FIND_AUTHORIZATION = "FERRY_NO_FIND_AUTHORIZATION";
  /** Without jco.client.client: JCo refuses the destination (group 180). */
  static final String INVALID = "FERRY_INVALID";
  static final String PASSWORD = "agent-s3cret-passw0rd";
  static final String HOST = "sap.example.internal";

  private SimDestinations() {}

  static void install() {
    PropertiesDestinationProvider.install(Map.of(
        SIM, props(PASSWORD),
        WRONG_PASSWORD, withExpected(props(PASSWORD), "a-different-one"),
        WITHOUT_FIND, with(props(PASSWORD), "jco.mock.missing", "BAPI_CUSTOMER_FIND"),
        UNREACHABLE, with(props(PASSWORD), "jco.mock.fail.102", "1"),
        NO_FIND_AUTHORIZATION, with(props(PASSWORD), "jco.mock.deny", "BAPI_CUSTOMER_FIND"),
        INVALID, without(props(PASSWORD), DestinationDataProvider.JCO_CLIENT)));
  }

  static Properties props(String password) {
    Properties p = new Properties();
    p.setProperty(DestinationDataProvider.JCO_ASHOST, HOST);
    p.setProperty(DestinationDataProvider.JCO_SYSNR, "00");
    p.setProperty(DestinationDataProvider.JCO_CLIENT, "100");
    p.setProperty(DestinationDataProvider.JCO_USER, "FERRY");
    p.setProperty(DestinationDataProvider.JCO_PASSWD, password);
    p.setProperty(DestinationDataProvider.JCO_LANG, "EN");
    return p;
  }

  /** A jco-mock property (jco.mock.*) on top of the standard ones. */
  private static Properties with(Properties p, String key, String value) {
    p.setProperty(key, value);
    return p;
  }

  private static Properties without(Properties p, String key) {
    p.remove(key);
    return p;
  }

  /** jco-mock's own property: the password its simulated SAP expects. */
  private static Properties withExpected(Properties p, String expected) {
    p.setProperty("jco.mock.passwd", expected);
    return p;
  }
}
