package io.ferry.relay;

import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.admin.RelayAdmin;
import io.ferry.relay.admin.SharedKeys;
import io.ferry.relay.admin.StoreAdmin;
import io.ferry.relay.auth.AgentSessions;
import io.ferry.relay.auth.Authenticator;
import io.ferry.relay.auth.Enrollment;
import io.ferry.relay.auth.JobSigner;
import io.ferry.relay.auth.JobSigningKey;
import io.ferry.relay.auth.SecretBox;
import io.ferry.relay.auth.WebhookSecrets;
import io.ferry.relay.batch.BatchRunner;
import io.ferry.relay.callback.CallbackSender;
import io.ferry.relay.subscriptions.SubscriptionDelivery;
import io.ferry.relay.changes.ChangeCursor;
import io.ferry.relay.changes.ChangePurge;
import io.ferry.relay.dispatch.AgentPresence;
import io.ferry.relay.dispatch.Dispatcher;
import io.ferry.relay.http.HttpServer;
import io.ferry.relay.http.JobOutcomes;
import io.ferry.relay.idempotency.IdempotencyPurge;
import io.ferry.relay.metrics.RelayMetrics;
import io.ferry.relay.sqs.SqsDispatch;
import io.ferry.relay.store.RelayStore;
import io.ferry.relay.store.SqlStore;
import java.util.function.Supplier;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: store, dispatch, HTTP. {@link #start(RelayConfig)} returns once it listens;
 * {@link #close()} stops it gracefully.
 */
public final class Relay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
  /**
   * Expired idempotency keys are forgotten this often (an expired key counts as new even before that), and
   * customer changes past relay.changes-retention deleted.
   */
  private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
  /**
   * With several relays on one PostgreSQL: how often each looks in the store for what a lost notification
   * would have told it. Notifications do the real work; this only bounds the delay after a lost one.
   */
  static final Duration RECHECK_EVERY = Duration.ofSeconds(5);

  private final RelayConfig config;
  private final RelayStore store;
  private final Dispatcher dispatcher;
  private final AgentPresence presence;
  private final CallbackSender callbacks;
  private final BatchRunner batches;
  private final HttpServer http;
  private final int port;
  private final RelayAdmin admin;
  private final RelayMetrics metrics;
  /** The SQS dispatch, or null when agents poll. */
  private final SqsDispatch sqs;
  private final ChangePurge changePurge;
  private final SubscriptionDelivery subscriptions;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set first thing in {@link #close()}: {@code /readyz} then answers 503 so a balancer stops sending. */
  private final AtomicBoolean stopping;

  private Relay(RelayConfig config, RelayStore store, Dispatcher dispatcher, AgentPresence presence,
      CallbackSender callbacks, BatchRunner batches, HttpServer http, RelayAdmin admin, RelayMetrics metrics,
      AtomicBoolean stopping, SqsDispatch sqs, ChangePurge changePurge, SubscriptionDelivery subscriptions) {
    this.subscriptions = subscriptions;
    this.sqs = sqs;
    this.changePurge = changePurge;
    this.config = config;
    this.store = store;
    this.dispatcher = dispatcher;
    this.presence = presence;
    this.callbacks = callbacks;
    this.batches = batches;
    this.http = http;
    this.port = http.port();
    this.admin = admin;
    this.metrics = metrics;
    this.stopping = stopping;
  }

  /** Opens (and migrates) the store and starts listening. Port 0 picks a free port. */
  public static Relay start(RelayConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** With an injected clock: tests move time for leases and deadlines. */
  static Relay start(RelayConfig config, Clock clock) {
    LOG.info("starting relay with {}", config.describe());
    RelayStore store = RelayStore.open(config.store(), config.dataDir());
    RelayMetrics metrics = new RelayMetrics(clock, store.probe(), config.agentOfflineAfter());
    store.observeTransitions(metrics.jobTransitions());
    AtomicBoolean stopping = new AtomicBoolean();
    String schema = store.schemaVersion();
    Supplier<String> notReady = () -> stopping.get() ? "the relay is shutting down" : store.probe().notReady(schema);
    Dispatcher dispatcher = null;
    AgentPresence presence = null;
    CallbackSender callbacks = null;
    SubscriptionDelivery subscriptions = null;
    BatchRunner batches = null;
    SqsDispatch sqs = null;
    try {
      SecretBox secretBox = SecretBox.open(config.dataDir());
      WebhookSecrets webhookSecrets = new WebhookSecrets(store.access(), secretBox);
      JobOutcomes outcomes = new JobOutcomes(clock);
      callbacks = new CallbackSender(store.callbacks(), store.jobs(), webhookSecrets, outcomes::callbackBody,
          clock, config.callbackPrivateNetworks(), config.callbackLoopback());
      subscriptions = new SubscriptionDelivery(store.subscriptions(), store.changes(), store.access(),
          webhookSecrets, new io.ferry.relay.audit.AuditLog(store.audit(), clock), clock,
          config.callbackPrivateNetworks(), config.callbackLoopback());
      SubscriptionDelivery delivery = subscriptions;
      BatchRunner batchRunner = new BatchRunner(store.batches(), clock, config.batchParallelism(),
          config.jobDeadline(), outcomes::problem);
      batches = batchRunner;
      // Callbacks wake on their own when the store schedules a delivery; a job end wakes the batches only
      // while one runs. A job with neither costs neither background loop a scan.
      dispatcher = new Dispatcher(store.jobs(), clock, config.pollHold(), config.leaseDuration(),
          config.maxAttempts(), batchRunner::jobEnded);
      presence = new AgentPresence(store.access(), clock, config.agentOfflineAfter());
      // An agent that stopped on another relay, or was disabled on any: offline here too, and a poll it may have
      // parked here answers now.
      AgentPresence seen = presence;
      Dispatcher jobs = dispatcher;
      io.ferry.relay.store.JobEvents.AgentLeft gone = (tenantId, agentId, at) -> {
        seen.leftElsewhere(tenantId, agentId, at);
        jobs.releaseAgent(agentId);
      };
      JobSigningKey jobSigningKey = JobSigningKey.open(config.dataDir());
      if (store.shared()) {
        SharedKeys.check(store, secretBox, jobSigningKey, config.dataDir(), clock);
        // Other relays share the store: hear what they queue and end (from before this one answers anything),
        // and check now and then for a lost word.
        store.listen(dispatcher.otherRelays().onAgentLeftFirst(gone));
        dispatcher.recheckEvery(RECHECK_EVERY);
      }
      AgentSessions sessions = AgentSessions.of(secretBox);
      dispatcher.signJobsWith(new JobSigner(jobSigningKey, sessions)::sign);
      if (config.dispatch().mode() == RelayConfig.Dispatch.Mode.SQS) {
        sqs = new SqsDispatch(config.dispatch().sqs(), dispatcher, presence, store.access(), clock,
            config.leaseDuration(), config.jobDeadline(), config.maxAttempts());
      }
      SqsDispatch queues = sqs;
      StoreAdmin admin = new StoreAdmin(store.access(), clock, secretBox, (tenant, group) -> {
        if (queues != null) {
          queues.prepare(tenant, group);
        }
      }, (tenant, agent) -> gone.agentLeft(tenant, agent, clock.instant()));
      // Before the listener opens: the start forgets intakes a stop cut short, and must not meet a new one.
      batchRunner.start(dispatcher::queued);
      Authenticator authenticator = new Authenticator(store.access(), clock, sessions);
      HttpServer http;
      try {
        http = HttpServer.start(config, clock, authenticator,
            new Enrollment(store.access(), clock, jobSigningKey.publicKey()), webhookSecrets, dispatcher, presence,
            store.batches(), batchRunner, admin, store.jobAdmin(),
            new io.ferry.relay.audit.AuditLog(store.audit(), clock), metrics, notReady, store.changes(),
            new ChangeCursor(secretBox.derive(ChangeCursor.KEY_PURPOSE)), store.subscriptions(), delivery::wake);
      } catch (RuntimeException e) {
        throw new IllegalStateException("could not listen on " + config.host() + ":" + config.port()
            + " (" + e.getMessage() + "); is another process using relay.port " + config.port() + "?", e);
      }
      dispatcher.start();
      if (sqs != null) {
        sqs.start();
      }
      dispatcher.every(PURGE_EVERY, new IdempotencyPurge(store.jobs(), clock)::runSafely);
      dispatcher.every(PURGE_EVERY, authenticator::purgeTokenUses);
      ChangePurge changePurge = new ChangePurge(store.changes(), clock, config.changesRetention());
      dispatcher.every(PURGE_EVERY, changePurge::runSafely);
      callbacks.start();
      subscriptions.start();
      metrics.start();
      Relay relay = new Relay(config, store, dispatcher, presence, callbacks, batchRunner, http, admin, metrics,
          stopping, sqs, changePurge, subscriptions);
      LOG.info("relay listening on {} (bound to {}, store {})", relay.baseUrl(), relay.listenAddress(),
          store.shared() ? store.describe()
          : config.dataDir().resolve(SqlStore.FILE_NAME).toAbsolutePath());
      return relay;
    } catch (RuntimeException e) {
      if (sqs != null) {
        sqs.close();
      }
      if (batches != null) {
        batches.close();
      }
      if (callbacks != null) {
        callbacks.close();
      }
      if (subscriptions != null) {
        subscriptions.close();
      }
      if (dispatcher != null) {
        dispatcher.close();
      }
      if (presence != null) {
        presence.close();
      }
      metrics.close();
      store.close();
      throw e;
    }
  }



  /** The port actually listened on (still answered after close, for messages). */
  public int port() {
    return port;
  }

  /**
   * The address and port the listener really bound, {@code 0.0.0.0:8080} or {@code [::1]:41234} (the port
   * picked when relay.port is 0): what the operator checks with {@code ss -ltn}.
   */
  public String listenAddress() {
    String host = config.host();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return host + ":" + port();
  }

  /**
   * relay.public-url when set, else {@code http://127.0.0.1:<port>} (or the configured host; {@code https} when
   * TLS is configured).
   */
  public URI baseUrl() {
    if (config.publicUrl() != null) {
      return config.publicUrl();
    }
    String host = config.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create((config.tls().enabled() ? "https://" : "http://") + host + ":" + port());
  }

  public RelayAdmin admin() {
    return admin;
  }

  /** Every registered route, {@code "GET /v1/customers/{customerNumber}"}; tests compare them with the OpenAPI document. */
  List<String> routes() {
    return http.routes();
  }

  /** Every route with who may call it, HEAD included; the route-access test walks it. */
  List<io.ferry.relay.http.HttpServer.Route> routeTable() {
    return http.routeTable();
  }

  /** Looks for callbacks due now (tests that moved the clock call this instead of waiting for the next tick). */
  void deliverDueCallbacks() {
    callbacks.wake();
  }

  /** Looks for subscription events due now (tests that moved the clock) instead of waiting for the next tick. */
  void deliverSubscriptions() {
    subscriptions.wake();
  }

  /** Prunes the change feed now instead of at the next tick (tests that moved the clock); how many went. */
  int pruneChanges() {
    return changePurge.run();
  }

  /** Recounts the queue and agent gauges now instead of at the next tick (tests). */
  void refreshMetrics() {
    metrics.refresh();
  }

  /** Agents' streams open on this relay now. */
  public int openAgentStreams() {
    return http.openStreams();
  }

  /** Polls of the agent counted against relay.max-polls-per-agent now; tests wait for stalled ones. */
  int pollsInProgress(String agentId) {
    return http.pollsInProgress(agentId);
  }

  /** Requests without credentials from {@code address} counted against relay.max-unauthenticated-per-address now. */
  int unauthenticatedInProgress(String address) {
    return http.unauthenticatedInProgress(address);
  }

  /** Polls parked right now; tests wait for a poll to park before they queue its job. */
  int waitingPolls() {
    return dispatcher.waitingPolls();
  }

  /**
   * Stops gracefully: the reaper stops, held polls are answered with no jobs and waiting engine
   * requests with 202, the listener stops once those answers are out (bounded wait), then the
   * store closes. Queued and leased jobs stay in the store for the next start. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopping.set(true);
    LOG.info("stopping relay on port {}", port());
    dispatcher.shutdown();
    try {
      http.close();
    } finally {
      if (sqs != null) {
        sqs.close();
      }
      batches.close();
      callbacks.close();
      subscriptions.close();
      dispatcher.close();
      presence.close();
      metrics.close();
      store.close();
    }
    LOG.info("relay stopped");
  }

  /**
   * Stops the way a crash would, as far as that goes in one process (tests of several relays): the
   * listener closes first, so held polls and waiting engine requests lose their connections unanswered,
   * then the database connections close. Nothing is handed over: what this relay had in flight lives on
   * in the shared store for the other relays.
   */
  void halt() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.warn("halting relay on port {} without a graceful stop", port());
    try {
      http.close();
    } finally {
      batches.close();
      callbacks.close();
      subscriptions.close();
      dispatcher.close();
      presence.close();
      store.close();
    }
  }

  /** Which agents were seen when; for tests in this package until the admin API shows it. */
  AgentPresence presence() {
    return presence;
  }
}
