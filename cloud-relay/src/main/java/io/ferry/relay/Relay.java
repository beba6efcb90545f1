package io.ferry.relay;

import io.ferry.relay.auth.Admin;
import io.ferry.relay.auth.Authenticator;
import io.ferry.relay.auth.Enrollment;
import io.ferry.relay.auth.JobSigningKey;
import io.ferry.relay.auth.SecretBox;
import io.ferry.relay.auth.WebhookSecrets;
import io.ferry.relay.batch.BatchRunner;
import io.ferry.relay.callback.CallbackSender;
import io.ferry.relay.dispatch.AgentPresence;
import io.ferry.relay.dispatch.Dispatcher;
import io.ferry.relay.http.HttpServer;
import io.ferry.relay.http.JobOutcomes;
import io.ferry.relay.idempotency.IdempotencyPurge;
import io.ferry.relay.store.SqliteStore;
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
  /** Expired idempotency keys are forgotten this often; an expired key counts as new even before that. */
  private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

  private final RelayConfig config;
  private final SqliteStore store;
  private final Dispatcher dispatcher;
  private final AgentPresence presence;
  private final CallbackSender callbacks;
  private final BatchRunner batches;
  private final HttpServer http;
  private final int port;
  private final RelayAdmin admin;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Relay(RelayConfig config, SqliteStore store, Dispatcher dispatcher, AgentPresence presence,
      CallbackSender callbacks, BatchRunner batches, HttpServer http, RelayAdmin admin) {
    this.config = config;
    this.store = store;
    this.dispatcher = dispatcher;
    this.presence = presence;
    this.callbacks = callbacks;
    this.batches = batches;
    this.http = http;
    this.port = http.port();
    this.admin = admin;
  }

  /** Opens (and migrates) the store and starts listening. Port 0 picks a free port. */
  public static Relay start(RelayConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** With an injected clock: tests move time for leases and deadlines. */
  static Relay start(RelayConfig config, Clock clock) {
    LOG.info("starting relay with {}", config.describe());
    SqliteStore store = SqliteStore.open(config.dataDir());
    Dispatcher dispatcher = null;
    AgentPresence presence = null;
    CallbackSender callbacks = null;
    BatchRunner batches = null;
    try {
      SecretBox secretBox = SecretBox.open(config.dataDir());
      WebhookSecrets webhookSecrets = new WebhookSecrets(store, secretBox);
      JobOutcomes outcomes = new JobOutcomes(clock);
      callbacks = new CallbackSender(store, store, webhookSecrets, outcomes::callbackBody, clock);
      BatchRunner batchRunner = new BatchRunner(store.batches(), clock, config.batchParallelism(),
          config.jobDeadline(), outcomes::problem);
      batches = batchRunner;
      CallbackSender callbackSender = callbacks;
      dispatcher = new Dispatcher(store, clock, config.pollHold(), config.leaseDuration(), config.maxAttempts(),
          () -> {
            callbackSender.wake();
            batchRunner.wake();
          });
      presence = new AgentPresence(store, clock, config.agentOfflineAfter());
      JobSigningKey jobSigningKey = JobSigningKey.open(config.dataDir());
      dispatcher.signJobsWith(jobSigningKey::sign);
      Admin admin = new Admin(store, clock, secretBox);
      // Before the listener opens: the start forgets intakes a stop cut short, and must not meet a new one.
      batchRunner.start(dispatcher::queued);
      HttpServer http;
      try {
        http = HttpServer.start(config, clock, new Authenticator(store, clock), new Enrollment(store, clock, jobSigningKey.publicKey()),
            webhookSecrets, dispatcher, presence, store.batches(), batchRunner, admin,
            new io.ferry.relay.audit.AuditLog(store, clock));
      } catch (RuntimeException e) {
        throw new IllegalStateException("could not listen on " + config.host() + ":" + config.port()
            + " (" + e.getMessage() + "); is another process using relay.port " + config.port() + "?", e);
      }
      dispatcher.start();
      dispatcher.every(PURGE_EVERY, new IdempotencyPurge(store, clock)::runSafely);
      callbacks.start();
      Relay relay = new Relay(config, store, dispatcher, presence, callbacks, batchRunner, http, admin);
      LOG.info("relay listening on {} (store {})", relay.baseUrl(),
          config.dataDir().resolve(SqliteStore.FILE_NAME).toAbsolutePath());
      return relay;
    } catch (RuntimeException e) {
      if (batches != null) {
        batches.close();
      }
      if (callbacks != null) {
        callbacks.close();
      }
      if (dispatcher != null) {
        dispatcher.close();
      }
      if (presence != null) {
        presence.close();
      }
      store.close();
      throw e;
    }
  }

  /** The port actually listened on (still answered after close, for messages). */
  public int port() {
    return port;
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

  /** Looks for callbacks due now (tests that moved the clock call this instead of waiting for the next tick). */
  void deliverDueCallbacks() {
    callbacks.wake();
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
    LOG.info("stopping relay on port {}", port());
    dispatcher.shutdown();
    try {
      http.close();
    } finally {
      batches.close();
      callbacks.close();
      dispatcher.close();
      presence.close();
      store.close();
    }
    LOG.info("relay stopped");
  }

  /** Which agents were seen when; for tests in this package until the admin API shows it. */
  AgentPresence presence() {
    return presence;
  }
}
