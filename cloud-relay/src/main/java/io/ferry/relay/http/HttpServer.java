package io.ferry.relay.http;

import io.ferry.relay.admin.RelayAdmin;
import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.audit.AuditLog;
import io.ferry.relay.auth.Authenticator;
import io.ferry.relay.auth.Enrollment;
import io.ferry.relay.auth.WebhookSecrets;
import io.ferry.relay.batch.BatchRunner;
import io.ferry.relay.catalog.CatalogCache;
import io.ferry.relay.ratelimit.RateLimiter;
import io.ferry.relay.dispatch.AgentPresence;
import io.ferry.relay.dispatch.Dispatcher;
import io.ferry.relay.metrics.RelayMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.Supplier;
import io.ferry.relay.store.BatchStore;
import io.ferry.relay.store.ChangeStore;
import io.ferry.relay.changes.ChangeCursor;
import io.ferry.relay.store.JobAdminStore;
import io.javalin.Javalin;
import io.javalin.util.JavalinException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import java.util.concurrent.Executors;
import io.ferry.relay.tls.RelayTls;

/**
 * The relay's HTTP listener: Javalin on Jetty. Held polls and sync-window waits are servlet-async
 * requests completed by futures, so they hold no thread. Requests are handled on virtual threads, so
 * a request whose body arrives slowly parks a virtual thread instead of taking one of the pool's
 * platform threads: a few hundred clients sending their bodies a byte at a time once took every
 * thread, and health checks, creates and polls waited until they closed.
 */
public final class HttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  /** How long a stop waits for in-flight answers (held polls just released, results being posted). */
  private static final long STOP_TIMEOUT_MS = 5_000;
  /** During a stop, connections idle this long are closed; busy ones finish their answer first. */
  private static final long SHUTDOWN_IDLE_TIMEOUT_MS = 50;
  /** Jetty's own async timeout is only a backstop; the dispatcher always answers first. */
  private static final long ASYNC_MARGIN_MS = 30_000;
  /** Platform threads for Jetty's selectors, acceptors and non-blocking work (Javalin's default pool). */
  private static final int MIN_THREADS = 8;
  private static final int MAX_THREADS = 250;
  private static final int THREAD_IDLE_MS = 60_000;
  /** Catalogs, interfaces and schemas kept at most (a few KB each). */
  private static final long CATALOG_CACHE_ENTRIES = 10_000;

  private final Javalin app;
  private final AgentHandlers agents;
  private final AgentStream streams;

  private HttpServer(Javalin app, AgentHandlers agents, AgentStream streams) {
    this.app = app;
    this.agents = agents;
    this.streams = streams;
  }

  /** Agents' streams open now. */
  public int openStreams() {
    return streams.openStreams();
  }

  public static HttpServer start(RelayConfig config, Clock clock, Authenticator authenticator,
      Enrollment enrollment, WebhookSecrets webhookSecrets, Dispatcher dispatcher, AgentPresence presence,
      BatchStore batchStore, BatchRunner batchRunner, RelayAdmin relayAdmin, JobAdminStore jobAdmin, AuditLog audit,
      RelayMetrics metrics, Supplier<String> notReady, ChangeStore changeStore, ChangeCursor changeCursors,
      io.ferry.relay.store.SubscriptionStore subscriptionStore, Runnable changesArrived) {
    EngineAuth auth = new EngineAuth(authenticator);
    RateLimits rateLimits = new RateLimits(new RateLimiter(config.rateLimit(), clock));
    Guard guard = new Guard(auth, rateLimits);
    EngineHandlers engine = new EngineHandlers(config, clock, webhookSecrets, dispatcher, presence);
    // Fingerprints count for twice the time after which an agent is offline; answers for at most an hour.
    CatalogCache catalogs = new CatalogCache(CATALOG_CACHE_ENTRIES, config.agentOfflineAfter().multipliedBy(2),
        Duration.ofHours(1));
    AgentHandlers agent = new AgentHandlers(config, enrollment, dispatcher, presence, audit, catalogs);
    AgentStream stream = new AgentStream(agent, authenticator, clock, config.pollHold(), config.agentOfflineAfter());
    BatchHandlers batches = new BatchHandlers(config, clock, dispatcher, presence, batchStore, batchRunner);
    ChangeHandlers changes = new ChangeHandlers(changeStore, changeCursors, clock, agent.bodies(), config.publicUrl(),
        config.changesRetention(), changesArrived);
    SubscriptionHandlers subscriptions = new SubscriptionHandlers(subscriptionStore, webhookSecrets, audit, clock,
        agent.bodies(), config);
    AdminHandlers admin = new AdminHandlers(config, clock, relayAdmin, presence, audit, jobAdmin);
    AdminJobHandlers adminJobs = new AdminJobHandlers(config, clock, jobAdmin, batchStore, dispatcher, audit);
    ConsoleFiles console = ConsoleFiles.load();
    HealthHandlers health = new HealthHandlers(metrics, notReady, config.metricsToken(), clock);
    long longestWait = Math.max(config.syncWindow().toMillis(), config.pollHold().toMillis());
    Javalin app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      // No check of Javalin's build date against today, and no thread that waits 5 s to say start() was not called.
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.startup.startupWatcherEnabled = false;
      cfg.http.prefer405over404 = true;
      cfg.http.maxRequestSize = config.maxBodyBytes();
      cfg.http.asyncTimeout = longestWait + ASYNC_MARGIN_MS;
      cfg.jetty.threadPool = threadPool();
      cfg.jetty.modifyHttpConfiguration(http -> {
        http.setRequestHeaderSize(config.limits().maxHeaderBytes());
        // No per-connection header field cache: Jetty builds one of about 100 KB on each kept-alive
        // connection, which held parked polls keep for the whole hold — 1 GB of heap for 10,000 idle agents.
        http.setHeaderCacheSize(0);
      });
      cfg.jetty.modifyServer(server -> {
        server.setStopTimeout(STOP_TIMEOUT_MS);
        // Jetty 12 waits at a stop only for the requests a GracefulHandler counts (Jetty 11's StatisticsHandler did).
        server.insertHandler(new GracefulHandler());
        server.setErrorHandler(new JettyErrors());
      });
      AccessLog.register(cfg.routes);
      Routes.requestMetrics(cfg.routes, metrics);
      Routes.Table table = new Routes.Table(cfg.routes, guard);
      Routes.routing(table, engine, new SalesOrderHandlers(engine), new FunctionHandlers(engine, catalogs),
          new ODataHandlers(engine, catalogs), batches, changes, subscriptions, agent, stream,
          new ApiDescription(config));
      // A stream message is a poll or a result batch: as large as an agent request's body may be.
      cfg.jetty.modifyWebSocketServletFactory(ws -> {
        ws.setMaxTextMessageSize(config.maxBodyBytes());
        ws.setIdleTimeout(AgentStream.IDLE_TIMEOUT);
      });
      Routes.operations(table, health);
      Routes.admin(table, admin, adminJobs, subscriptions);
      Routes.console(table, console);
      if (config.tls().enabled()) {
        RelayTls.Keys keys = config.tls().keys();
        cfg.jetty.addConnector((server, http) -> https(server, http, keys, config));
      }
    });
    requireAccessOnEveryRoute(app);
    requireFree(config.host(), config.port());
    try {
      app.start(config.host(), config.port());
    } catch (RuntimeException e) {
      // Jetty's stop after a failed bind throws its own error ("STOPPED") and loses the BindException.
      requireFree(config.host(), config.port());
      throw e;
    }
    withoutStreamCompression(app);
    for (Connector connector : app.jettyServer().server().getConnectors()) {
      if (connector instanceof AbstractConnector c) {
        // Idle keep-alive connections would otherwise hold a graceful stop for about a second each round.
        c.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MS);
        // Cuts a client that stalls while sending a request; a held poll or sync-window wait is
        // servlet-async, and Jetty does not apply the idle timeout to a suspended request.
        c.setIdleTimeout(config.limits().idleTimeout().toMillis());
      }
    }
    return new HttpServer(app, agent, stream);
  }

  /**
   * No permessage-deflate on agents' streams: their messages are a few kilobytes of JSON, and deflating and
   * inflating each one cost more CPU on both ends than the bytes it saves (TLS sits under it anyway).
   */
  private static void withoutStreamCompression(Javalin app) {
    for (var context : app.jettyServer().server().getDescendants(org.eclipse.jetty.server.handler.ContextHandler.class)) {
      var components = org.eclipse.jetty.websocket.core.server.WebSocketServerComponents.getWebSocketComponents(context);
      if (components != null) {
        components.getExtensionRegistry().unregister("permessage-deflate");
      }
    }
  }

  /**
   * Fails with a {@link BindException} naming host and port when something already listens there: Javalin
   * would log an ERROR and then throw Jetty's unrelated "STOPPED". A port taken between this check and
   * Jetty's bind is caught after the failed start by the same check.
   */
  private static void requireFree(String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true); // as Jetty does: a closed connection in TIME_WAIT does not hold the port
      probe.bind(new InetSocketAddress(host, port));
    } catch (BindException e) {
      BindException inUse = new BindException("port " + port + " on " + host + " is already in use");
      inUse.initCause(e);
      throw new UncheckedIOException(inUse);
    } catch (IOException e) {
      // Not a port in use (an unknown host, say): Jetty's own attempt reports it.
    }
  }

  /**
   * Jetty's pool of platform threads with a virtual-thread executor: Jetty then runs what may block
   * (reading and handling a request) on a virtual thread of its own, and keeps its selectors on the
   * platform threads. Javalin's {@code useVirtualThreads} would run the selectors on virtual threads too.
   */
  private static QueuedThreadPool threadPool() {
    QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, MIN_THREADS, THREAD_IDLE_MS);
    pool.setName("relay-http");
    pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("relay-request-", 0)
        .factory()));
    return pool;
  }

  /** The only connector when TLS is configured: HTTPS (TLS 1.2 and 1.3, the JDK's default cipher suites). */
  private static ServerConnector https(org.eclipse.jetty.server.Server server, HttpConfiguration http, RelayTls.Keys keys,
      RelayConfig config) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keys.store());
    ssl.setKeyStorePassword(keys.password());
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    HttpConfiguration https = new HttpConfiguration(http);
    https.setSecureScheme("https");
    https.addCustomizer(new SecureRequestCustomizer());
    ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
        new HttpConnectionFactory(https));
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.setIdleTimeout(config.limits().idleTimeout().toMillis());
    return connector;
  }

  /** Polls of the agent counted against relay.max-polls-per-agent right now (tests wait for them). */
  public int pollsInProgress(String agentId) {
    return agents.pollsInProgress(agentId);
  }

  /** Requests without credentials from the address counted against relay.max-unauthenticated-per-address. */
  public int unauthenticatedInProgress(String address) {
    return agents.unauthenticatedInProgress(address);
  }

  public int port() {
    return app.port();
  }

  /**
   * Every route as registered, {@code "GET /v1/customers/{customerNumber}"}, read from the running
   * router: what the OpenAPI document's test compares with the document. The HEAD twin of each GET
   * route is left out (see {@link #routeTable()}).
   */
  public List<String> routes() {
    return routeTable().stream()
        .filter(r -> !r.method().equals("HEAD"))
        .map(r -> r.method() + " " + r.path())
        .toList();
  }

  /** One route of the running relay and who may call it. */
  public record Route(String method, String path, Access access) {}

  /**
   * Every route with its {@link Access}, HEAD included, read from the running router: what the test of
   * route access walks, and what docs/security.md's table shows.
   */
  public List<Route> routeTable() {
    return routeTable(app);
  }

  private static List<Route> routeTable(Javalin app) {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(h -> h.endpoint)
        .filter(e -> e.method.isHttpMethod() || e.method == HandlerType.WEBSOCKET_BEFORE_UPGRADE)
        // A WebSocket route is a GET with an upgrade: listed as such, checked like any other route.
        .map(e -> new Route(e.method.isHttpMethod() ? e.method.name() : "GET", e.path, e.metadata(Access.class)))
        .toList();
  }

  /** A route registered past {@link Routes.Table} has no declared access: refused at start, never served open. */
  private static void requireAccessOnEveryRoute(Javalin app) {
    for (Route r : routeTable(app)) {
      if (r.access() == null) {
        throw new IllegalStateException(r.method() + " " + r.path() + " declares no Access; register it in Routes");
      }
    }
  }

  /**
   * Stops accepting, waits (bounded) for answers in flight, then closes. Connections still open after
   * the wait (clients sending their bodies slowly, for instance) are closed without an answer: Jetty
   * stops completely and reports the wait's timeout, which is logged here rather than thrown.
   */
  @Override
  public void close() {
    streams.close();
    try {
      app.stop();
    } catch (JavalinException e) {
      if (!(e.getCause() instanceof TimeoutException)) {
        throw e;
      }
      LOG.warn("connections still open {} ms after the stop began were closed without an answer", STOP_TIMEOUT_MS);
    }
  }
}
