package io.ferry.agent;

import io.ferry.agent.catalog.CatalogFingerprint;
import io.ferry.agent.changes.ChangeJournal;
import io.ferry.agent.changes.ChangeSender;
import io.ferry.agent.changes.CustomerChangePort;
import io.ferry.agent.changes.CustomerWatcher;
import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.customer.CustomerReads;
import io.ferry.agent.exec.JobExecutor;
import io.ferry.agent.handler.JobHandlers;
import io.ferry.agent.exec.JobRunner;
import io.ferry.agent.exec.LeaseKeeper;
import io.ferry.agent.journal.Journal;
import io.ferry.agent.metrics.AgentMetrics;
import io.ferry.agent.metrics.MetricsServer;
import io.ferry.agent.policy.JobGate;
import io.ferry.agent.policy.SeenJobs;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.poll.PollLoop;
import io.ferry.agent.relay.AgentVersion;
import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.relay.RelayException;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sqs.SqsIntake;
import io.ferry.protocol.AgentKeyChange;
import io.ferry.protocol.AgentToken;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.resilience.Resilience;
import io.ferry.agent.status.AgentStatus;
import io.ferry.agent.status.StatusFile;
import io.ferry.agent.status.StatusReporter;
import io.ferry.protocol.EnrollRequest;
import io.ferry.agent.relay.Authorization;
import java.security.KeyPair;
import io.ferry.protocol.EnrollResponse;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: one poll loop, a bounded pool of workers, a lease keeper and the journal that
 * delivers results.
 *
 * <p>Shutdown is graceful by default: stop polling, let running jobs finish (up to the configured
 * grace), deliver their results, then stop. Results that cannot be delivered stay in the journal.
 */
public final class Agent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final AgentConfig config;
  private final SapBackend sap;
  private final RelayClient relay;
  private final Journal journal;
  private final LeaseKeeper leases;
  private final JobExecutor executor;
  private final JobRunner runner;
  private final PollLoop loop;
  private final Thread loopThread;
  private final Resilience resilience;
  private final StatusReporter status;
  private final AgentMetrics metrics;
  private MetricsServer metricsServer;
  /** The SQS transport, or null when the agent polls the relay. */
  private final SqsIntake sqs;
  private boolean closed;
  /** Every part's time: the breaker, the gate's replay window, the journal, the polls, the status file. */
  private final Clock clock;
  /** The deliveries admitted (the replay check), closed with the agent. */
  private final SeenJobs seenJobs;
  /** What the policy lets engines reach generically, and its fingerprint for the polls; refreshed on a timer. */
  private final CatalogFingerprint catalog;
  /** The change watcher, its part of the journal and its sender; all null unless agent.changes.customers.enabled. */
  private final ChangeJournal changeJournal;
  private final CustomerWatcher watcher;
  private final ChangeSender changeSender;

  private Agent(AgentConfig config, AgentCredentials credentials, SapBackend sap, Clock clock) throws IOException {
    this.config = config;
    this.clock = clock;
    // Retries and the breaker sit inside the policy guard, right around the metered calls to SAP: the guard's
    // refusals are never retried nor counted as SAP failures, and the breaker counts only calls to SAP.
    this.metrics = new AgentMetrics(config.metrics().enabled());
    this.resilience = new Resilience(sap.name(), config.sapResilience(), clock);
    this.sap = sap;
    SapCalls calls = SapCalls.of(config.policy().guard(), resilience, metrics.meter(sap.name()));
    this.catalog = new CatalogFingerprint(config.policy().generic(),
        sap.port(io.ferry.agent.function.FunctionPort.class).orElse(null), calls);
    JobHandlers handlers = BusinessObjects.handlers(sap, calls, config.policy(), catalog);
    this.relay = new RelayClient(config.relayUrl(), authorization(config, credentials), config.connectTimeout(),
        config.pollTimeout(), config.tls(), config.proxy(), config.transport().mode() == AgentConfig.Transport.Mode.STREAM,
        config.pollWatchdog());
    this.seenJobs = SeenJobs.open(config.dataDir());
    JobGate gate = new JobGate(config.policy(), pinnedRelayKey(credentials), relay::sessionSecret, clock,
        seenJobs);
    if (config.transport().mode() == AgentConfig.Transport.Mode.SQS) {
      // Jobs, leases and results travel through the group's SQS queues; the runner and the journal are the same.
      this.sqs = new SqsIntake(config.transport().sqs(), credentials.tenantId(), credentials.agentGroup(),
          credentials.agentId(), sap.name(), config.workers(), config.leaseRenewEvery(), newBackoff(config),
          clock);
      this.journal = new Journal(config.dataDir(), sqs, newBackoff(config), clock);
      sqs.onReconnect(journal::wakeUp);
      this.leases = new LeaseKeeper(sqs::renew, config.leaseRenewEvery());
      this.runner = new JobRunner(handlers, journal, leases, gate, metrics::jobFinished);
      this.executor = null;
      this.loop = null;
      this.loopThread = null;
    } else {
      this.sqs = null;
      this.journal = new Journal(config.dataDir(), relay, newBackoff(config), clock);
      this.leases = new LeaseKeeper(relay, config.leaseRenewEvery());
      this.runner = new JobRunner(handlers, journal, leases, gate, metrics::jobFinished);
      this.executor = new JobExecutor(config.workers(), runner);
      this.loop = new PollLoop(relay, executor, newBackoff(config), sap.name(), clock, config.pollWatchdog())
          .onReconnect(journal::wakeUp).catalog(catalog::current);
      JobExecutor jobs = this.executor;
      this.loopThread = Thread.ofPlatform().name("ferry-poll").daemon(false).unstarted(() -> {
        try {
          loop.run();
        } finally {
          jobs.shutdown(); // after the last poll's jobs were handed over
        }
      });
    }
    if (config.changes().customers()) {
      CustomerChangePort changes = sap.port(CustomerChangePort.class).orElseThrow(() -> new IllegalArgumentException(
          "agent.changes.customers.enabled=true, but the " + sap.name() + " SAP backend cannot detect changes; set "
              + "agent.changes.customers.enabled=false"));
      CustomerPort customers = sap.port(CustomerPort.class).orElseThrow(() -> new IllegalArgumentException(
          "agent.changes.customers.enabled=true, but the " + sap.name() + " SAP backend cannot read customers"));
      this.changeJournal = new ChangeJournal(config.dataDir());
      this.changeSender = new ChangeSender(changeJournal, relay::sendChanges, newBackoff(config), clock,
          n -> metrics.changes("sent", n));
      this.watcher = new CustomerWatcher(changes, new CustomerReads(customers, calls), calls, changeJournal,
          config.changes(), clock, n -> metrics.changes("found", n), changeSender::wakeUp);
    } else {
      this.changeJournal = null;
      this.changeSender = null;
      this.watcher = null;
    }
    this.status = new StatusReporter(config.dataDir(), this::status);
    metrics.watch(this::inFlight, resilience::breakerStatus, this::lastSuccess, journal::pendingCount,
        clock);
  }

  /** When the agent last reached the relay's poll endpoint, or SQS (a receive or a heartbeat). */
  private java.util.Optional<java.time.Instant> lastSuccess() {
    return sqs != null ? sqs.lastSuccess() : loop.lastSuccess();
  }

  /** What {@code ferry agent status} shows of this agent now. */
  public AgentStatus status() {
    return new AgentStatus(AgentVersion.current(), ProcessHandle.current().pid(), clock.instant(),
        List.of(resilience.breakerStatus()), inFlight(), lastSuccess().orElse(null), journal.pendingCount(),
        metrics.missingSettings());
  }

  /** Starts an enrolled agent; its credentials are read from the data directory. */
  public static Agent start(AgentConfig config, SapBackend sap) throws IOException {
    return start(config, sap, Clock.systemUTC());
  }

  /** As {@link #start(AgentConfig, SapBackend)}, on {@code clock}: a test moves time instead of waiting for it. */
  public static Agent start(AgentConfig config, SapBackend sap, Clock clock) throws IOException {
    AgentCredentials credentials = AgentCredentials.load(config.dataDir());
    Agent agent = new Agent(config, credentials, sap, clock);
    log.info("FERRY-AGENT-0000 agent {} (tenant {}, group {}) version {} starting: relay {}, SAP backend {}, {} worker(s)",
        credentials.agentId(), credentials.tenantId(), credentials.agentGroup(), AgentVersion.current(),
        config.transport().mode() == AgentConfig.Transport.Mode.SQS ? "(enrollment only; jobs through SQS)"
            : config.relayUrl(), sap.name(), config.workers());
    if (config.metrics().enabled()) {
      agent.metricsServer = MetricsServer.start(config.metrics(), agent.metrics);
    }
    agent.journal.start();
    agent.catalog.start(config.catalogRefresh());
    if (agent.watcher != null) {
      agent.changeSender.start();
      agent.watcher.start();
    }
    if (agent.sqs != null) {
      agent.sqs.start(agent.runner, agent.journal, AgentVersion.current());
    } else {
      agent.loopThread.start();
    }
    agent.status.start(StatusFile.INTERVAL);
    return agent;
  }

  /**
   * Trades a one-time enrollment token for this agent's identity and stores it (owner-only) in the data
   * directory.
   */
  public static AgentCredentials enroll(URI relayUrl, String token, Path dataDir, String agentName)
      throws RelayException, IOException {
    return enroll(AgentConfig.defaults(relayUrl, dataDir), token, agentName);
  }

  /**
   * Enrolls with the relay at {@code config.relayUrl()}, reached as {@code config} says (TLS, proxy), and
   * stores the identity in {@code config.dataDir()}.
   */
  public static AgentCredentials enroll(AgentConfig config, String token, String agentName)
      throws RelayException, IOException {
    URI relayUrl = config.relayUrl();
    Path dataDir = config.dataDir();
    KeyPair keys = AgentKeyFile.createPending(dataDir);
    try (RelayClient client = new RelayClient(relayUrl, (String) null, config.connectTimeout(), Duration.ofSeconds(30),
        config.tls(), config.proxy())) {
      // No name given: the host name, as `ferry agent enroll --help` promises (operators list agents by it).
      String name = agentName == null || agentName.isBlank() ? hostname() : agentName.strip();
      EnrollResponse r = client.enroll(new EnrollRequest(Protocol.VERSION, token, name, hostname(),
          AgentVersion.current(), AgentToken.encodePublicKey(keys.getPublic())));
      AgentKeyFile.install(dataDir);
      AgentCredentials credentials = new AgentCredentials(relayUrl.toString(), r.agentId(), r.tenantId(), r.agentGroup(), r.agentKey(),
          r.relayPublicKey());
      credentials.save(dataDir);
      return credentials;
    } finally {
      AgentKeyFile.discardPending(dataDir);
    }
  }

  /**
   * Gives the enrolled agent in {@code config.dataDir()} a new key pair without downtime: the new
   * public key is registered with a request signed by the current key (or sent with the deprecated
   * bearer key, which this retires), then the new private key replaces the old file. A running agent
   * reads the new file at its next request; the relay accepts the old key until the returned instant.
   */
  public static java.time.Instant rotateKey(AgentConfig config) throws RelayException, IOException {
    Path dataDir = config.dataDir();
    AgentCredentials credentials = AgentCredentials.load(dataDir);
    KeyPair keys = AgentKeyFile.createPending(dataDir);
    try (RelayClient client = new RelayClient(config.relayUrl(), authorization(config, credentials),
        config.connectTimeout(), Duration.ofSeconds(30), config.tls(), config.proxy())) {
      AgentKeyChange changed = client.changeKey(new AgentKeyChange(Protocol.VERSION,
          AgentToken.encodePublicKey(keys.getPublic()), null));
      AgentKeyFile.install(dataDir);
      if (credentials.agentKey() != null) {
        new AgentCredentials(credentials.relayUrl(), credentials.agentId(), credentials.tenantId(),
            credentials.agentGroup(), null, credentials.relayPublicKey()).save(dataDir);
      }
      log.info("FERRY-AGENT-0011 agent {} has a new key; the relay accepts the previous one until {}",
          credentials.agentId(), changed.previousKeyValidUntil());
      return changed.previousKeyValidUntil();
    } finally {
      AgentKeyFile.discardPending(dataDir);
    }
  }

  /** The relay's job-signing key pinned at enrollment; null (unsigned jobs accepted) for older enrollments. */
  private static java.security.PublicKey pinnedRelayKey(AgentCredentials credentials) throws IOException {
    if (credentials.relayPublicKey() == null) {
      log.warn("FERRY-AGENT-0013 agent {} has no pinned relay key (enrolled with a relay that did not sign jobs); "
          + "it cannot tell altered jobs: enroll it again", credentials.agentId());
      return null;
    }
    return AgentToken.decodePublicKey(credentials.relayPublicKey()).orElseThrow(() -> new IOException(
        "the relay key in " + AgentCredentials.FILE_NAME + " is not an EC P-256 key; enroll the agent again"));
  }

  /** Signed tokens with the key in the data directory; the bearer key of an agent enrolled before key pairs. */
  private static Authorization authorization(AgentConfig config, AgentCredentials credentials) {
    if (credentials.agentKey() != null) {
      log.warn("FERRY-AGENT-0012 agent {} authenticates with a bearer agent key, which is deprecated; "
          + "run `ferry agent rotate-key` to move it to a key pair", credentials.agentId());
      return Authorization.bearer(credentials.agentKey());
    }
    return AgentKeyFile.signer(config.dataDir(), credentials.agentId(), Clock.systemUTC());
  }

  /** Waits until the first poll reached the relay: from then on the relay counts this agent as online. */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    return sqs != null ? sqs.awaitConnected(timeout) : loop.awaitConnected(timeout);
  }

  /** Waits until every result in the journal has been delivered, up to {@code timeout}; true when none is left. */
  public boolean awaitResultsDelivered(Duration timeout) throws InterruptedException {
    return journal.flush(timeout);
  }

  /** Polls the watchdog gave up because they neither returned nor failed in time. */
  public long abandonedPolls() {
    return sqs != null ? 0 : loop.abandonedPolls() + relay.stuckStreams();
  }

  public int inFlight() {
    return sqs != null ? sqs.inFlight() : executor.inFlight();
  }

  /** Stops polling and lets running jobs finish; returns at once. Idempotent. */
  public void shutdown() {
    if (sqs != null) {
      sqs.shutdown();
      return;
    }
    loop.stop();
    executor.stopTaking();
    if (!loopThread.isAlive()) {
      executor.shutdown(); // otherwise the loop's thread does, once it has handed over what its last poll brought
    }
  }

  /**
   * Waits for running jobs to finish and their results to be delivered, up to {@code timeout}; true when
   * everything finished.
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (sqs != null) {
      boolean jobsDone = sqs.awaitTermination(timeout);
      return journal.flush(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))) && jobsDone;
    }
    boolean jobsDone = executor.awaitTermination(timeout);
    loopThread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    boolean delivered = journal.flush(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    return jobsDone && delivered && !loopThread.isAlive();
  }

  /** Graceful stop within the configured grace, then releases everything. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    shutdown();
    try {
      awaitTermination(config.shutdownGrace());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sqs != null) {
      sqs.shutdownNow();
    } else {
      executor.shutdownNow();
    }
    status.close();
    catalog.close();
    if (watcher != null) {
      watcher.close();
      changeSender.close(); // what it has not sent stays in the journal for the next start
      changeJournal.close();
    }
    leases.close();
    try {
      journal.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      seenJobs.close();
    } catch (IOException e) {
      log.debug("closing {}: {}", SeenJobs.FILE_NAME, e.getMessage());
    }
    if (sqs != null) {
      sqs.close(); // after the journal, which sends through it
    }
    relay.close();
    sap.close();
    if (metricsServer != null) {
      metricsServer.close();
    }
    metrics.close();
    log.info("FERRY-AGENT-0099 agent stopped");
  }

  private static Backoff newBackoff(AgentConfig config) {
    return new Backoff(config.backoffInitial(), config.backoffMax(), () -> ThreadLocalRandom.current().nextDouble());
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
