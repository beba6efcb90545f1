package io.ferry.sapsim;

import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.ext.DestinationDataEventListener;
import com.sap.conn.jco.ext.DestinationDataProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Not an API. The entry points the {@code com.sap.conn.jco} facade classes of this jar call: the
 * registered provider, the destination cache and the stateful contexts. It is public only because
 * the facade lives in another package; application code uses the JCo API instead.
 */
public final class JcoBridge {

  private static final Object LOCK = new Object();
  private static DestinationDataProvider provider;
  private static final Map<String, SimDestination> destinations = new ConcurrentHashMap<>();

  /** A stateful context per thread and destination name, as JCo keeps them per session. */
  private static final ThreadLocal<Map<String, Context>> CONTEXTS = ThreadLocal.withInitial(HashMap::new);

  /** One thread's stateful sequence on one destination: its SAP session and, once used, its connection. */
  static final class Context {
    private int depth;
    private final Session session = new Session();
    private Runnable connectionRelease;

    Session session() {
      return session;
    }

    boolean holdsConnection() {
      return connectionRelease != null;
    }

    void holdConnection(Runnable release) {
      connectionRelease = release;
    }

    private void close() {
      session.discard();
      if (connectionRelease != null) {
        connectionRelease.run();
        connectionRelease = null;
      }
    }
  }

  private JcoBridge() {}

  public static void registerProvider(DestinationDataProvider p) {
    if (p == null) {
      throw new IllegalArgumentException("The destination data provider must not be null");
    }
    synchronized (LOCK) {
      if (provider != null) {
        throw new IllegalStateException("A DestinationDataProvider is already registered ("
            + provider.getClass().getName() + "); JCo allows one per process");
      }
      provider = p;
      destinations.clear();
      if (p.supportsEvents()) {
        p.setDestinationDataEventListener(new DestinationDataEventListener() {
          @Override
          public void deleted(String destinationName) {
            destinations.remove(destinationName);
          }

          @Override
          public void updated(String destinationName) {
            destinations.remove(destinationName);
          }
        });
      }
    }
  }

  public static void unregisterProvider(DestinationDataProvider p) {
    synchronized (LOCK) {
      if (provider == null || provider != p) {
        throw new IllegalStateException("This DestinationDataProvider is not the registered one");
      }
      provider = null;
      destinations.clear();
    }
  }

  public static boolean isProviderRegistered() {
    synchronized (LOCK) {
      return provider != null;
    }
  }

  /**
   * The destination of that name, built from the provider's properties the first time and kept
   * until the provider reports it updated or deleted. No provider, or a provider that does not know
   * the name, gives group {@link JCoException#JCO_ERROR_RESOURCE} as JCo does.
   */
  public static JCoDestination destination(String name) throws JCoException {
    SimDestination cached = destinations.get(name);
    if (cached != null) {
      return cached;
    }
    DestinationDataProvider p;
    synchronized (LOCK) {
      p = provider;
    }
    Properties props = p == null ? null : p.getDestinationProperties(name);
    if (props == null) {
      throw new JCoException(JCoException.JCO_ERROR_RESOURCE, "JCO_ERROR_RESOURCE",
          "Destination " + name + " does not exist");
    }
    SimDestination d = new SimDestination(name, props);
    SimDestination raced = destinations.putIfAbsent(name, d);
    return raced != null ? raced : d;
  }

  public static void begin(JCoDestination destination) {
    CONTEXTS.get().computeIfAbsent(destination.getDestinationName(), k -> new Context()).depth++;
  }

  /** Ends one level; the last end closes the session and drops what it had not committed. */
  public static void end(JCoDestination destination) throws JCoException {
    Map<String, Context> contexts = CONTEXTS.get();
    Context c = contexts.get(destination.getDestinationName());
    if (c == null) {
      return;
    }
    if (--c.depth <= 0) {
      contexts.remove(destination.getDestinationName());
      c.close();
    }
  }

  public static boolean isStateful(JCoDestination destination) {
    return CONTEXTS.get().containsKey(destination.getDestinationName());
  }

  /** The current thread's context on the destination, or null outside one. */
  static Context context(JCoDestination destination) {
    return CONTEXTS.get().get(destination.getDestinationName());
  }

  /** The destination of that name if it has been built and not dropped since. */
  static java.util.Optional<SimDestination> cached(String name) {
    return java.util.Optional.ofNullable(destinations.get(name));
  }
}
