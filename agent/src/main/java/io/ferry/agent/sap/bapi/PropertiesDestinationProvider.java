package io.ferry.agent.sap.bapi;

import com.sap.conn.jco.ext.DestinationDataEventListener;
import com.sap.conn.jco.ext.DestinationDataProvider;
import com.sap.conn.jco.ext.Environment;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JCo destinations from the agent's configuration: a map from destination name to JCo properties
 * ({@code jco.client.ashost}, {@code jco.client.user}, ...). JCo accepts one provider per process,
 * so the agent calls {@link #install(Map)}, which registers one the first time and hands later
 * destinations to that same instance, telling JCo which ones changed.
 *
 * <p>The provider never logs, and its {@link #toString()} shows destination names only: the
 * properties carry the SAP password.
 */
public final class PropertiesDestinationProvider implements DestinationDataProvider {

  private static final Object LOCK = new Object();
  private static PropertiesDestinationProvider installed;

  private final Map<String, Properties> destinations = new ConcurrentHashMap<>();
  private volatile DestinationDataEventListener listener;

  public PropertiesDestinationProvider(Map<String, Properties> destinations) {
    destinations.forEach((name, props) -> this.destinations.put(name, copy(props)));
  }

  /**
   * Makes these the destinations of the process-wide provider: registers a new provider with JCo
   * the first time, and afterwards replaces the destinations of the registered one.
   *
   * @throws IllegalStateException when some other provider is already registered with JCo
   */
  public static PropertiesDestinationProvider install(Map<String, Properties> destinations) {
    synchronized (LOCK) {
      if (installed == null) {
        PropertiesDestinationProvider p = new PropertiesDestinationProvider(destinations);
        if (Environment.isDestinationDataProviderRegistered()) {
          throw new IllegalStateException("Another JCo DestinationDataProvider is registered in this process; "
              + "Ferry's agent must own the only one");
        }
        Environment.registerDestinationDataProvider(p);
        installed = p;
      } else {
        installed.replaceAll(destinations);
      }
      return installed;
    }
  }

  /** Replaces all destinations and tells JCo, so it drops destinations it built from old values. */
  public void replaceAll(Map<String, Properties> newDestinations) {
    Set<String> removed = new TreeSet<>(destinations.keySet());
    removed.removeAll(newDestinations.keySet());
    removed.forEach(destinations::remove);
    newDestinations.forEach((name, props) -> destinations.put(name, copy(props)));
    DestinationDataEventListener l = listener;
    if (l != null) {
      removed.forEach(l::deleted);
      newDestinations.keySet().forEach(l::updated);
    }
  }

  /** A copy: JCo may keep what it gets, and the caller's object must not change under it. */
  @Override
  public Properties getDestinationProperties(String destinationName) {
    Properties p = destinations.get(destinationName);
    return p == null ? null : copy(p);
  }

  @Override
  public boolean supportsEvents() {
    return true;
  }

  @Override
  public void setDestinationDataEventListener(DestinationDataEventListener eventListener) {
    this.listener = eventListener;
  }

  @Override
  public String toString() {
    return "PropertiesDestinationProvider" + new TreeSet<>(destinations.keySet());
  }

  private static Properties copy(Properties source) {
    Properties p = new Properties();
    p.putAll(source);
    return p;
  }
}
