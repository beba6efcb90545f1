package io.ferry.sapsim;

import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoDestinationManager;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.ext.DestinationDataEventListener;
import com.sap.conn.jco.ext.DestinationDataProvider;
import com.sap.conn.jco.ext.Environment;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** One provider for the whole test JVM, as JCo allows one per process. */
final class TestDestinations implements DestinationDataProvider {

  static final String SIM = "SIM";
  static final TestDestinations PROVIDER = new TestDestinations();

  private final Map<String, Properties> destinations = new ConcurrentHashMap<>(Map.of(
      SIM, props("sapsim.local", "FERRY", "s3cret"),
      "NO_HOST", without(props("sapsim.local", "FERRY", "s3cret"), JCO_ASHOST),
      "NO_USER", without(props("sapsim.local", "FERRY", "s3cret"), JCO_USER),
      "WRONG_PASSWORD", with(props("sapsim.local", "FERRY", "wrong-one"), "jco.mock.passwd", "right-one"),
      "OTHER_USER", props("sapsim.local", "SOMEONE", "s3cret")));
  private static final AtomicInteger NEXT = new AtomicInteger();

  /**
   * A new destination with the standard logon plus these extra properties (key, value, key, value...),
   * under a name never used before, so JCo's destination cache cannot hand out an older one.
   */
  static String define(String... extra) {
    Properties p = props("sapsim.local", "FERRY", "s3cret");
    for (int i = 0; i < extra.length; i += 2) {
      p.setProperty(extra[i], extra[i + 1]);
    }
    String name = "DEST_" + NEXT.incrementAndGet();
    PROVIDER.destinations.put(name, p);
    return name;
  }

  private TestDestinations() {}

  static synchronized JCoDestination get(String name) throws JCoException {
    ensureRegistered();
    return JCoDestinationManager.getDestination(name);
  }

  static synchronized void ensureRegistered() {
    if (!Environment.isDestinationDataProviderRegistered()) {
      Environment.registerDestinationDataProvider(PROVIDER);
    }
  }

  static Properties props(String host, String user, String password) {
    Properties p = new Properties();
    p.setProperty(JCO_ASHOST, host);
    p.setProperty(JCO_SYSNR, "00");
    p.setProperty(JCO_CLIENT, "100");
    p.setProperty(JCO_USER, user);
    p.setProperty(JCO_PASSWD, password);
    p.setProperty(JCO_LANG, "EN");
    return p;
  }

  private static Properties without(Properties p, String key) {
    p.remove(key);
    return p;
  }

  private static Properties with(Properties p, String key, String value) {
    p.setProperty(key, value);
    return p;
  }

  @Override
  public Properties getDestinationProperties(String destinationName) {
    return destinations.get(destinationName);
  }

  @Override
  public boolean supportsEvents() {
    return false;
  }

  @Override
  public void setDestinationDataEventListener(DestinationDataEventListener eventListener) {}
}
