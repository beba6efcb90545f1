package io.ferry.cli.command;

import java.net.URL;
import java.nio.file.Path;
import picocli.CommandLine.IVersionProvider;

/** Ferry's version, the Java runtime, and which JCo implementation this process loaded. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {
        "ferry " + (v == null ? "dev" : v),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        "JCo: " + jco()};
  }

  /**
   * Where {@code com.sap.conn.jco} comes from: SAP's sapjco3.jar, or Ferry's simulator jco-mock. The
   * launcher puts exactly one of them on the class path; this shows which one won.
   */
  static String jco() {
    try {
      Class<?> c = Class.forName("com.sap.conn.jco.JCoDestinationManager", false, VersionProvider.class.getClassLoader());
      URL where = c.getProtectionDomain().getCodeSource().getLocation();
      String jar = Path.of(where.toURI()).getFileName().toString();
      return jar.startsWith("ferry-jco-mock") ? jar + " (Ferry's SAP simulator; put SAP's sapjco3.jar in lib/ to reach a real SAP system)"
          : jar + " (SAP Java Connector)";
    } catch (ClassNotFoundException e) {
      return "none on the class path";
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
