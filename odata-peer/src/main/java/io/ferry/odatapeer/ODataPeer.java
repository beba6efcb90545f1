package io.ferry.odatapeer;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.olingo.odata2.api.edm.EdmConcurrencyMode;
import org.apache.olingo.odata2.api.edm.provider.EntityContainerInfo;
import org.apache.olingo.odata2.api.edm.provider.EntitySet;
import org.apache.olingo.odata2.api.edm.provider.EntityType;
import org.apache.olingo.odata2.api.edm.provider.Property;
import org.apache.olingo.odata2.api.edm.provider.PropertyRef;
import org.apache.olingo.odata2.api.exception.ODataException;

/**
 * An OData V2 server that plays S/4HANA's {@code API_BUSINESS_PARTNER} for tests and the demo: Apache
 * Olingo serves the service's real EDMX over the JDK's HTTP server, with what SAP Gateway adds on top
 * (CSRF tokens bound to a session cookie, ETags with {@code If-Match}, SAP's error JSON and
 * {@code sap-message} header, {@code sap-client}, basic authentication, a number range) and hooks
 * that let a test inject faults.
 *
 * <pre>
 * try (ODataPeer sap = ODataPeer.start(ODataPeer.Options.defaults())) {
 *   String serviceRoot = sap.url();   // http://127.0.0.1:PORT/sap/opu/odata/sap/API_BUSINESS_PARTNER
 *   sap.failNextRequests(1);          // the next request answers 503
 * }
 * </pre>
 *
 * <p>Standalone: {@code java -cp … io.ferry.odatapeer.ODataPeer --port 8090 [--host 127.0.0.1]
 * [--user FERRY] [--password …] [--client 100] [--alpha on|off]}.
 */
public final class ODataPeer implements AutoCloseable {

  /**
   * How the peer runs.
   *
   * @param host the address to listen on (loopback by default)
   * @param port the port; 0 picks a free one
   * @param user the one user that may log on (case-insensitive, like SAP user names)
   * @param password that user's password
   * @param client the SAP client ({@code sap-client}) the system has; requests naming another are refused
   * @param firstNumber the first business partner and customer number the number range hands out
   * @param alphaConversion whether the number properties (business partner, customer, supplier) have SAP's
   *     conversion exit ALPHA, as in the standard service: numbers are stored with leading zeros, shown
   *     without, and a client may send either form. Off, the peer plays a service without the exit: it
   *     stores and shows numbers unpadded and matches only that form
   */
  public record Options(String host, int port, String user, String password, String client, long firstNumber,
      boolean alphaConversion, int pageSize) {

    private static final Pattern CLIENT = Pattern.compile("\\d{3}");

    public Options {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must name an address to listen on, for example 127.0.0.1");
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 (any free port) and 65535, was " + port);
      }
      if (user == null || user.isBlank() || password == null || password.isEmpty()) {
        throw new IllegalArgumentException("user and password are required: the peer always asks for basic authentication");
      }
      if (client == null || !CLIENT.matcher(client).matches()) {
        throw new IllegalArgumentException("client must be three digits such as 100, was '" + client + "'");
      }
      if (firstNumber < 1 || firstNumber > 9_999_999_999L) {
        throw new IllegalArgumentException("firstNumber must have at most ten digits, was " + firstNumber);
      }
      if (pageSize < 0) {
        throw new IllegalArgumentException("pageSize must be 0 (every row in one answer) or more, was " + pageSize);
      }
    }

    public Options(String host, int port, String user, String password, String client, long firstNumber,
        boolean alphaConversion) {
      this(host, port, user, password, client, firstNumber, alphaConversion, 0);
    }

    /**
     * Server-driven paging as SAP Gateway does it: a collection read answers at most {@code n} entities and, when
     * there are more, a {@code __next} link with {@code $skiptoken}; 0 (the default) answers every row at once.
     */
    public Options withPageSize(int n) {
      return new Options(host, port, user, password, client, firstNumber, alphaConversion, n);
    }

    /**
     * Loopback, a free port, user {@code FERRY} with password {@code ferry-peer}, client 100, numbers from
     * 100000 (stored as 0000100000), ALPHA conversion on.
     */
    public static Options defaults() {
      return new Options("127.0.0.1", 0, "FERRY", "ferry-peer", "100", 100_000, true);
    }

    public Options withHost(String h) {
      return new Options(h, port, user, password, client, firstNumber, alphaConversion, pageSize);
    }

    public Options withPort(int p) {
      return new Options(host, p, user, password, client, firstNumber, alphaConversion, pageSize);
    }

    public Options withCredentials(String u, String pw) {
      return new Options(host, port, u, pw, client, firstNumber, alphaConversion, pageSize);
    }

    public Options withClient(String c) {
      return new Options(host, port, user, password, c, firstNumber, alphaConversion, pageSize);
    }

    public Options withFirstNumber(long n) {
      return new Options(host, port, user, password, client, n, alphaConversion, pageSize);
    }

    public Options withAlphaConversion(boolean on) {
      return new Options(host, port, user, password, client, firstNumber, on, pageSize);
    }

    @Override
    public String toString() {
      return "Options[host=" + host + ", port=" + port + ", user=" + user + ", password=****, client=" + client
          + ", firstNumber=" + firstNumber + ", alphaConversion=" + alphaConversion + ", pageSize=" + pageSize + "]";
    }
  }

  static final String BUSINESS_PARTNER = "API_BUSINESS_PARTNER";
  static final String SALES_ORDER = "API_SALES_ORDER_SRV";
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final Options options;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Store store;
  private final Gateway gateway;
  private final PeerClock clock;
  private final String url;
  private final String salesOrderUrl;

  private ODataPeer(Options options, HttpServer server, ExecutorService executor, Store store, Gateway gateway,
      PeerClock clock) {
    this.clock = clock;
    this.options = options;
    this.server = server;
    this.executor = executor;
    this.store = store;
    this.gateway = gateway;
    this.url = "http://" + hostForUrl(options.host()) + ":" + server.getAddress().getPort() + Gateway.SERVICE_PATH;
    this.salesOrderUrl = "http://" + hostForUrl(options.host()) + ":" + server.getAddress().getPort()
        + ServiceModel.SERVICES_PATH + SALES_ORDER;
  }

  /** Loads the EDMX, builds the model and starts serving; {@link #url()} is reachable when this returns. */
  public static ODataPeer start(Options options) throws IOException {
    return start(options, null);
  }

  /**
   * As {@link #start(Options)}, the data kept in {@code dataFile} (null: in memory only): loaded when the
   * file exists, written after each request that changed something and at {@link #close()}, so the system's
   * business partners and its number range survive a restart, as the JCo simulator's data file does.
   */
  public static ODataPeer start(Options options, java.nio.file.Path dataFile) throws IOException {
    List<ServiceModel> services = List.of(ServiceModel.load(BUSINESS_PARTNER), ServiceModel.load(SALES_ORDER));
    Map<String, List<String>> keyNames = new HashMap<>();
    Map<String, String> setOfType = new HashMap<>();
    Set<String> versioned = new HashSet<>();
    try {
      for (ServiceModel service : services) {
        EntityContainerInfo container = service.edm().getEntityContainerInfo(null);
        for (String set : Links.storedSets()) {
          EntitySet es = service.edm().getEntitySet(container.getName(), set);
          if (es == null) {
            continue; // a set of the other service
          }
          EntityType type = service.edm().getEntityType(es.getEntityType());
          keyNames.put(set, type.getKey().getKeys().stream().map(PropertyRef::getName).toList());
          setOfType.put(es.getEntityType().toString(), set);
          if (concurrencyControlled(type)) {
            versioned.add(set);
          }
        }
      }
    } catch (ODataException e) {
      throw new IllegalStateException("the services' metadata cannot be read: " + e.getMessage(), e);
    }
    PeerClock clock = new PeerClock();
    Store store = new Store(keyNames, versioned, new Alpha(options.alphaConversion()), options.firstNumber(), clock);
    if (dataFile != null) {
      store.keepIn(dataFile);
    }
    Gateway gateway = new Gateway(options, store, services, Map.copyOf(setOfType), clock);
    // The JDK's server writes an answer's head and body apart and leaves Nagle's algorithm on: with the client's
    // delayed ACK every exchange then waits about 40 ms, which a Gateway does not. Read once, at the server's
    // first use in this JVM, so it is set here unless someone chose otherwise.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 64);
    ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "odata-peer-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", dataFile == null ? gateway : exchange -> {
      try {
        gateway.handle(exchange);
      } finally {
        store.saveIfChanged();
      }
    });
    server.start();
    return new ODataPeer(options, server, executor, store, gateway, clock);
  }

  /**
   * Whether the metadata puts the entity type under concurrency control, so SAP Gateway sends ETags for
   * it: a property with {@code ConcurrencyMode="Fixed"}, or the {@code ETag} property SAP's CDS-based
   * services carry for it (in {@code API_BUSINESS_PARTNER} only {@code A_BusinessPartnerType} has one).
   */
  private static boolean concurrencyControlled(EntityType type) {
    for (Property p : type.getProperties()) {
      if (p.getName().equals("ETag")
          || (p.getFacets() != null && p.getFacets().getConcurrencyMode() == EdmConcurrencyMode.Fixed)) {
        return true;
      }
    }
    return false;
  }

  /** The service root, without a trailing slash: {@code http://127.0.0.1:PORT/sap/opu/odata/sap/API_BUSINESS_PARTNER}. */
  public String url() {
    return url;
  }

  /** The root of the sales-order service: {@code http://127.0.0.1:PORT/sap/opu/odata/sap/API_SALES_ORDER_SRV}. */
  public String salesOrderUrl() {
    return salesOrderUrl;
  }

  /** Sets the customer's order block ({@code A_Customer.OrderIsBlockedForCustomer}): its orders are refused from now on. */
  public void blockOrders(String customer) {
    synchronized (store) {
      store.find("A_Customer", store.alpha().input(Map.of("Customer", customer)))
          .ifPresent(r -> {
            r.data.put("OrderIsBlockedForCustomer", "01");
            store.touch(r);
          });
    }
  }

  /**
   * The peer tells the time by this clock from now on: creation and last-change dates and times, ETags, error
   * time stamps. Returns the clock it replaces. The simulated system runs in UTC: the instant is read in UTC,
   * whatever zone the clock carries.
   */
  public Clock useClock(Clock c) {
    synchronized (store) {
      return clock.use(c);
    }
  }

  /**
   * A change made in S/4 by someone else (a clerk in transaction BP): sets these properties of the business
   * partner (as the database keeps them: strings for {@code Edm.String}; {@code null} clears), and moves its
   * {@code LastChangeDate}/{@code LastChangeTime} and its ETag, as any change through the service would.
   * The key, the creation and change stamps and {@code ETag} are not the caller's to set.
   *
   * @throws IllegalArgumentException when there is no such partner, or for a property it may not set
   */
  public void changePartnerDirectly(String businessPartner, Map<String, Object> fields) {
    for (String name : fields.keySet()) {
      if (Set.of("BusinessPartner", "CreationDate", "CreationTime", "LastChangeDate", "LastChangeTime", "ETag")
          .contains(name)) {
        throw new IllegalArgumentException(name + " is set by the system, not by a change");
      }
    }
    synchronized (store) {
      Store.Row row = store.find("A_BusinessPartner", store.alpha().input(Map.of("BusinessPartner", businessPartner)))
          .orElseThrow(() -> new IllegalArgumentException("No business partner " + businessPartner));
      fields.forEach((k, v) -> {
        if (v == null) {
          row.data.remove(k);
        } else {
          row.data.put(k, v);
        }
      });
      Checks.normalize(row.set, row.data);
      store.touch(row);
      try {
        store.saveIfChanged();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** How many sales orders the peer holds: "the order was created once". */
  public int salesOrderCount() {
    synchronized (store) {
      return store.all("A_SalesOrder").size();
    }
  }

  public Options options() {
    return options;
  }

  // ---- test hooks ----

  /** The next {@code n} requests answer {@code 503 Service Unavailable}, as an overloaded SAP system would. */
  public void failNextRequests(int n) {
    gateway.failNext.set(Math.max(0, n));
  }

  /**
   * The next create (a {@code POST} the service answers {@code 201}) is committed, then answered
   * {@code 503} instead: the client cannot tell whether SAP created the entity.
   */
  public void failAfterNextCreate() {
    gateway.failAfterNextCreate.set(true);
  }

  /**
   * The next create (a {@code POST} the service answers {@code 201}) is committed and answered {@code 201}
   * with its {@code Location} but no body, as a gateway or proxy that drops the entity would.
   */
  public void answerNextCreateWithoutBody() {
    answerNextCreateWithoutBody(0);
  }

  /** As {@link #answerNextCreateWithoutBody()}, and the {@code n} requests after that answer {@code 503}. */
  public void answerNextCreateWithoutBody(int thenFail) {
    gateway.failAfterBareCreate.set(Math.max(0, thenFail));
    gateway.bareNextCreate.set(true);
  }

  /** Every request waits this long before it is served ({@link Duration#ZERO} to stop). */
  public void delayResponses(Duration delay) {
    gateway.delay = delay == null || delay.isNegative() ? Duration.ZERO : delay;
  }

  /** Invalidates every CSRF token issued so far; sessions stay, and a new fetch gets a new token. */
  public void invalidateCsrfTokens() {
    gateway.csrf().invalidateTokens();
  }

  /**
   * Ends every session, as SAP does when a session times out or the system restarts: tokens and session
   * cookies issued so far are refused ({@code 403}, {@code X-CSRF-Token: Required}), and the next token
   * fetch opens a new session, so it answers a new cookie with the new token.
   */
  public void expireSessions() {
    gateway.csrf().expireSessions();
  }

  /** While set, every modifying request fails CSRF validation, whatever it sends (a proxy that drops cookies). */
  public void refuseCsrfTokens(boolean refuse) {
    gateway.refuseCsrf = refuse;
  }

  /** While set, every logged-on request answers 403: the user lacks the authorization for the service. */
  public void denyAuthorization(boolean deny) {
    gateway.denyAuthorization = deny;
  }

  /** The next update or delete finds its entity changed by someone else since the client read it (412). */
  public void changeConcurrentlyBeforeNextUpdate() {
    gateway.concurrentChange.set(true);
  }

  /** How many CSRF token fetches the peer has answered. */
  public int csrfFetches() {
    return gateway.csrf().fetches();
  }

  /** Every request received, oldest first, as {@code METHOD path} with the path below the service root. */
  public List<String> requests() {
    return List.copyOf(gateway.requests);
  }

  /** The {@code traceparent} headers received so far, in order (requests without one are not listed). */
  public List<String> traceparents() {
    return List.copyOf(gateway.traceparents);
  }

  /** As {@link #requests()}, each with its query string, decoded ({@code ?$filter=…}) where it had one. */
  public List<String> requestsWithQuery() {
    return List.copyOf(gateway.requestsWithQuery);
  }

  public void clearRequests() {
    gateway.requests.clear();
    gateway.requestsWithQuery.clear();
    gateway.traceparents.clear();
  }

  /**
   * A stored entity's properties as the database keeps them (numbers in the internal form when ALPHA
   * conversion is on), for assertions: {@code entity("A_BusinessPartner", "100000")}; key values in the
   * order of the entity type's key, converted as a key predicate would be.
   */
  public Optional<Map<String, Object>> entity(String entitySet, String... keyValues) {
    synchronized (store) {
      List<String> names = store.keyNames(entitySet);
      if (names.size() != keyValues.length) {
        throw new IllegalArgumentException(entitySet + " has the key " + names);
      }
      Map<String, Object> key = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        key.put(names.get(i), keyValues[i]);
      }
      return store.find(entitySet, store.alpha().input(key)).map(r -> Map.copyOf(withoutNulls(r.data)));
    }
  }

  /** Forgets all data, sessions, requests and hooks; the number range starts again. */
  public void reset() {
    store.reset();
    gateway.csrf().reset();
    gateway.requests.clear();
    gateway.requestsWithQuery.clear();
    gateway.traceparents.clear();
    gateway.failNext.set(0);
    gateway.delay = Duration.ZERO;
    gateway.refuseCsrf = false;
    gateway.denyAuthorization = false;
    gateway.concurrentChange.set(false);
    gateway.failAfterNextCreate.set(false);
    gateway.bareNextCreate.set(false);
    gateway.failAfterBareCreate.set(0);
  }

  /**
   * The customer number the next create gets, with leading zeros ({@code 0000100001}): what {@code ferry demo}
   * prints for its sample customer.
   */
  public String nextCustomerNumber() {
    return String.format("%010d", store.peekNextNumber());
  }

  /** Stops serving at once and frees the port. Idempotent. */
  @Override
  public void close() {
    server.stop(0);
    try {
      store.saveIfChanged();
    } catch (IOException e) {
      // The last request's changes were saved when it ended; only a write that failed then is lost.
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "ODataPeer[" + url + ", " + options + "]";
  }

  /**
   * Runs the peer until the process is stopped: {@code --port 8090 --host 127.0.0.1 --user FERRY
   * --password … --client 100}.
   */
  public static void main(String[] args) throws Exception {
    Options o = Options.defaults().withPort(8090);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println("usage: ODataPeer [--port 8090] [--host 127.0.0.1] [--user FERRY] [--password ferry-peer] [--client 100] [--alpha on|off] [--page-size 0]");
        return;
      }
      if (i + 1 >= args.length) {
        System.err.println(arg + " needs a value");
        System.exit(2);
      }
      String value = args[++i];
      try {
        o = switch (arg) {
          case "--port" -> o.withPort(Integer.parseInt(value));
          case "--host" -> o.withHost(value);
          case "--user" -> o.withCredentials(value, o.password());
          case "--password" -> o.withCredentials(o.user(), value);
          case "--client" -> o.withClient(value);
          case "--page-size" -> o.withPageSize(Integer.parseInt(value));
          case "--alpha" -> o.withAlphaConversion(switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--alpha must be on or off, was " + value);
          });
          default -> throw new IllegalArgumentException("unknown option " + arg + "; try --help");
        };
      } catch (IllegalArgumentException e) {
        System.err.println(e.getMessage());
        System.exit(2);
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try (ODataPeer peer = start(o)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        peer.close();
        stopped.countDown();
      }, "odata-peer-stop"));
      System.out.println("OData peer serving API_BUSINESS_PARTNER at " + peer.url() + " (user " + o.user()
          + ", client " + o.client() + "); stop with Ctrl-C");
      stopped.await();
    } catch (UncheckedIOException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }

  private static Map<String, Object> withoutNulls(Map<String, Object> data) {
    Map<String, Object> m = new LinkedHashMap<>();
    data.forEach((k, v) -> {
      if (v != null) {
        m.put(k, v);
      }
    });
    return m;
  }

  private static String hostForUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
