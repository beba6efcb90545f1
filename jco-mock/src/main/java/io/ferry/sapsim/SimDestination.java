package io.ferry.sapsim;

import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_ASHOST;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_CLIENT;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_GROUP;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_LANG;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_MAX_GET_TIME;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_MSHOST;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_MSSERV;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_PASSWD;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_PEAK_LIMIT;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_R3NAME;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_SAPROUTER;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_SYSNR;
import static com.sap.conn.jco.ext.DestinationDataProvider.JCO_USER;

import com.sap.conn.jco.JCoAttributes;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoRepository;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A destination whose properties came from the registered provider. The properties are checked like
 * JCo checks them when it builds a destination; the logon is checked on the first remote action, as
 * a real logon happens then.
 *
 * <p>Logon: user {@code FERRY} (any case) with any non-empty password, or exactly the user and
 * password given by the mock-only properties {@code jco.mock.user} and {@code jco.mock.passwd}.
 * The password is never part of a message or of {@link #toString()}.
 *
 * <p>Every remote action takes a connection from the destination's pool for its duration, or for the
 * rest of the {@code JCoContext} it runs in; with {@code jco.destination.peak_limit} reached it waits
 * up to {@code jco.destination.max_get_client_time} for one. The mock-only settings of
 * {@link DestinationOptions} add latency, faults, a data file and denied functions.
 */
final class SimDestination implements JCoDestination {

  static final String MOCK_USER = "jco.mock.user";
  static final String MOCK_PASSWD = "jco.mock.passwd";
  static final String DEFAULT_USER = "FERRY";

  /** Work done on a connection. */
  interface RemoteAction<T> {
    T run(SapSystem system, Session contextSession, int fault) throws JCoException;
  }

  private final String name;
  private final Properties properties;
  private final String id = UUID.randomUUID().toString();
  private final DestinationOptions options;
  private final Random random;
  private final AtomicLong remoteActions = new AtomicLong();
  private final Semaphore pool;
  private final AtomicInteger inUse = new AtomicInteger();

  SimDestination(String name, Properties source) throws JCoException {
    this.name = name;
    this.properties = new Properties();
    this.properties.putAll(source);
    validate();
    this.options = DestinationOptions.of(name, properties);
    this.random = options.seed() == null ? new Random() : new Random(options.seed());
    this.pool = options.peakLimit() > 0 ? new Semaphore(options.peakLimit(), true) : null;
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

  /** The system this destination reaches: the data file's, or the in-memory default. */
  SapSystem system() throws JCoException {
    if (options.dataFile() == null) {
      return SapSimulator.instance().system();
    }
    try {
      return SapSimulator.forDataFile(options.dataFile()).system();
    } catch (UncheckedIOException e) {
      throw new JCoException(JCoException.JCO_ERROR_SYSTEM_FAILURE, "JCO_ERROR_SYSTEM_FAILURE",
          "The simulated SAP system of destination " + name + " cannot start: " + e.getMessage());
    }
  }

  boolean denies(String functionName) {
    return options.denied().contains(functionName.toUpperCase(Locale.ROOT));
  }

  String logonUser() {
    return getUser().toUpperCase(Locale.ROOT);
  }

  int connectionsInUse() {
    return inUse.get();
  }

  boolean hasCallersWaiting() {
    return pool != null && pool.hasQueuedThreads();
  }

  /**
   * Runs one remote action on a connection: inside a context on the context's own connection (taken
   * at its first remote action, given back at its end), else on one taken for this action only.
   */
  <T> T remote(boolean functionCall, RemoteAction<T> action) throws JCoException {
    JcoBridge.Context context = JcoBridge.context(this);
    boolean own = context == null || !context.holdsConnection();
    if (own) {
      takeConnection();
      if (context != null) {
        context.holdConnection(this::giveConnectionBack);
        own = false;
      }
    }
    try {
      if (functionCall) {
        waitLatency();
      }
      int fault = chooseFault();
      return action.run(system(), context == null ? null : context.session(), fault);
    } finally {
      if (own) {
        giveConnectionBack();
      }
    }
  }

  private void takeConnection() throws JCoException {
    if (pool != null) {
      boolean got;
      try {
        got = pool.tryAcquire(options.maxGetClientTimeMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JCoException(JCoException.JCO_ERROR_CANCELLED, "JCO_ERROR_CANCELLED",
            "Interrupted while waiting for a free connection of destination " + name);
      }
      if (!got) {
        throw new JCoException(JCoException.JCO_ERROR_RESOURCE, "JCO_ERROR_RESOURCE",
            "Connection pool " + name + " is exhausted: all " + options.peakLimit() + " connections allowed by "
                + JCO_PEAK_LIMIT + " are in use, and none came free within " + JCO_MAX_GET_TIME + " ("
                + options.maxGetClientTimeMillis() + " ms)");
      }
    }
    inUse.incrementAndGet();
  }

  private void giveConnectionBack() {
    inUse.decrementAndGet();
    if (pool != null) {
      pool.release();
    }
  }

  private void waitLatency() throws JCoException {
    Duration min = options.latencyMin();
    Duration max = options.latencyMax();
    if (max.isZero()) {
      return;
    }
    long spread = max.toMillis() - min.toMillis();
    long extra;
    synchronized (random) {
      extra = spread <= 0 ? 0 : (long) (random.nextDouble() * (spread + 1));
    }
    try {
      SapSimulator.sleeper().sleep(min.plusMillis(extra));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JCoException(JCoException.JCO_ERROR_CANCELLED, "JCO_ERROR_CANCELLED",
          "Interrupted while the call to destination " + name + " was under way");
    }
  }

  /** The group of the first {@code jco.mock.fail.*} setting that strikes this remote action, or 0. */
  private int chooseFault() {
    long action = remoteActions.incrementAndGet();
    synchronized (random) {
      for (var e : options.faults().entrySet()) {
        if (e.getValue().strikes(action, random)) {
          return e.getKey();
        }
      }
    }
    return 0;
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
    remote(false, (system, session, fault) -> {
      system.remote(this, session, fault);
      return null;
    });
    return new SimRepository(name, options.missing());
  }

  /** Executes the function on a connection of this destination, in the thread's context if it has one. */
  void execute(SimFunction fn) throws JCoException {
    remote(true, (system, session, fault) -> {
      system.execute(this, fn, session, fault);
      return null;
    });
  }

  @Override
  public JCoAttributes getAttributes() throws JCoException {
    remote(false, (system, session, fault) -> {
      system.remote(this, session, fault);
      return null;
    });
    String lang = prop(JCO_LANG).isBlank() ? "E" : prop(JCO_LANG);
    if (lang.length() == 2) {
      lang = Languages.fromIso(lang).orElse("E");
    }
    return new SimAttributes(getDestinationName(), getClient(), getUser().toUpperCase(Locale.ROOT), lang,
        direct() ? prop(JCO_ASHOST) : prop(JCO_MSHOST), getSystemNumber());
  }

  private boolean direct() {
    return !prop(JCO_ASHOST).isBlank();
  }

  @Override
  public void ping() throws JCoException {
    remote(false, (system, session, fault) -> {
      system.remote(this, session, fault);
      return null;
    });
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
