package io.ferry.agent.sap.bapi;

import com.sap.conn.jco.ext.DestinationDataProvider;
import java.util.Map;
import java.util.Properties;

/** The agent's destinations in tests, installed the way the agent installs them at run time. */
final class SimDestinations {

  static final String SIM = "FERRY_SIM";
  static final String WRONG_PASSWORD = "FERRY_WRONG_PASSWORD";
  static final String PASSWORD = "agent-s3cret-passw0rd";

  private SimDestinations() {}

  static void install() {
    PropertiesDestinationProvider.install(Map.of(
        SIM, props(PASSWORD),
        WRONG_PASSWORD, withExpected(props(PASSWORD), "a-different-one")));
  }

  static Properties props(String password) {
    Properties p = new Properties();
    p.setProperty(DestinationDataProvider.JCO_ASHOST, "sap.example.internal");
    p.setProperty(DestinationDataProvider.JCO_SYSNR, "00");
    p.setProperty(DestinationDataProvider.JCO_CLIENT, "100");
    p.setProperty(DestinationDataProvider.JCO_USER, "FERRY");
    p.setProperty(DestinationDataProvider.JCO_PASSWD, password);
    p.setProperty(DestinationDataProvider.JCO_LANG, "EN");
    return p;
  }

  /** jco-mock's own property: the password its simulated SAP expects. */
  private static Properties withExpected(Properties p, String expected) {
    p.setProperty("jco.mock.passwd", expected);
    return p;
  }
}
