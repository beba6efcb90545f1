package io.ferry.relay.config;

import io.ferry.protocol.Durations;
import io.ferry.relay.store.StoreSettings;
import io.ferry.relay.tls.RelayTls;
import io.ferry.sqs.SqsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The relay's whole configuration, validated when built. Every message names the setting (as an
 * operator writes it in a configuration file or on the command line), the bad value and the allowed
 * range, so a wrong setting is fixed from the message alone.
 *
 * @param host the interface to listen on; {@code 0.0.0.0} for all
 * @param port the TCP port; 0 picks a free one (tests)
 * @param dataDir where {@code relay.db} lives
 * @param publicUrl the base URL engines reach the relay at (behind a proxy or load balancer); null to
 *     derive it from each request's {@code Host} and {@code X-Forwarded-Proto}
 * @param syncWindow how long an engine request waits for the agent's result before it answers 202
 * @param pollHold how long the relay holds an agent's poll when no job is queued
 * @param leaseDuration how long an agent owns a job it took before the job goes back to the queue
 * @param jobDeadline how long a job may wait for an agent before it expires
 * @param agentOfflineAfter an agent not seen for this long no longer counts as online
 * @param maxAttempts how many leases a job gets before it is dead
 * @param maxBodyBytes the largest request body accepted
 * @param rateLimit requests per minute and API key (token bucket); 0 switches rate limiting off
 * @param idempotencyRetention how long an {@code Idempotency-Key} is remembered; a key older than this
 *     counts as new
 * @param tls the certificate the relay serves HTTPS with; {@link RelayTls#NONE} for plain HTTP (loopback,
 *     or behind a TLS-terminating load balancer)
 * @param batchParallelism records of one customer batch in flight (queued or running jobs) at most
 * @param batchMaxBodyBytes the largest body of {@code POST /v1/customer-batches}
 * @param limits the abuse limits: JSON depth, header size, idle timeout, polls per agent
 * @param callbackPrivateNetworks whether callbacks may go to private addresses (a relay inside a company
 *     network calling an engine there); off, a callback URL could make the relay probe the network it runs in
 * @param callbackLoopback whether callbacks may go to this machine (relay.callback-loopback: development and
 *     tests); off by default, so a callback URL cannot reach the relay's own ports or a local admin service
 * @param store where jobs, keys and agents are kept: {@link StoreSettings#SQLITE} (relay.db in the data
 *     directory, one relay) or PostgreSQL shared by several relays (relay.store, relay.jdbc-url,
 *     relay.db-user, relay.db-password)
 * @param metricsToken the bearer token that lets a caller from another machine read {@code /metrics}
 *     (relay.metrics.token); null serves the metrics to loopback callers only. A relay-wide secret of the
 *     operator, not a tenant's key: the metrics describe the whole relay
 * @param dispatch how jobs reach agents ({@code relay.dispatch}): the agents' long polls to this relay (the
 *     default), or Amazon SQS queues the agents receive from
 * @param changesRetention how long a customer change agents reported stays in the change feed
 *     ({@code relay.changes-retention}); an engine that reads less often than this loses changes (410)
 *
 * <p>Why one record of over 600 lines: it is the relay's whole configuration, validated in one place at start so
 * that every message names its setting and fix; most of the length is that validation and its messages.
 */
public record RelayConfig(
    String host,
    int port,
    Path dataDir,
    URI publicUrl,
    Duration syncWindow,
    Duration pollHold,
    Duration leaseDuration,
    Duration jobDeadline,
    Duration agentOfflineAfter,
    int maxAttempts,
    long maxBodyBytes,
    int rateLimit,
    Duration idempotencyRetention,
    int batchParallelism,
    long batchMaxBodyBytes,
    Limits limits,
    RelayTls tls,
    boolean callbackPrivateNetworks,
    boolean callbackLoopback,
    StoreSettings store,
    String metricsToken,
    Dispatch dispatch,
    Duration changesRetention) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  /** Power Automate's own limit for a custom connector's connection: a flow never hits Ferry's first. */
  public static final int DEFAULT_RATE_LIMIT = 500;
  /** Enough to keep an agent's workers (4 by default) busy with a batch, without one batch taking every slot. */
  public static final int DEFAULT_BATCH_PARALLELISM = 8;
  /** ARCHITECTURE.md: batch bodies may be far larger than single writes. */
  public static final long DEFAULT_BATCH_MAX_BODY_BYTES = 50L * 1024 * 1024;
  /** A week: an engine flow that stops over a long weekend still finds every change when it resumes. */
  public static final Duration DEFAULT_CHANGES_RETENTION = Duration.ofDays(7);

  public RelayConfig {
    requireText("relay.host", host);
    if (port < 0 || port > 65_535) {
      throw invalid("relay.port must be between 0 and 65535 (0 picks a free port), was " + port);
    }
    if (dataDir == null) {
      throw invalid("relay.data-dir is required: the folder that holds relay.db, for example /var/lib/ferry/relay");
    }
    if (publicUrl != null) {
      checkPublicUrl(publicUrl);
    }
    requireBetween("relay.sync-window", syncWindow, Duration.ZERO, Duration.ofSeconds(110),
        "under Power Automate's 120 s limit");
    requireBetween("relay.poll-hold", pollHold, Duration.ofSeconds(1), Duration.ofSeconds(120), null);
    requireBetween("relay.lease-duration", leaseDuration, Duration.ofSeconds(1), Duration.ofHours(1), null);
    requireBetween("relay.job-deadline", jobDeadline, Duration.ofSeconds(1), Duration.ofDays(7), null);
    requireBetween("relay.agent-offline-after", agentOfflineAfter, Duration.ofSeconds(2), Duration.ofDays(1), null);
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw invalid("relay.max-attempts must be between 1 and 100, was " + maxAttempts);
    }
    if (maxBodyBytes < 1024 || maxBodyBytes > 64L * 1024 * 1024) {
      throw invalid("relay.max-body-bytes must be between 1024 (1 KB) and 67108864 (64 MB), was " + maxBodyBytes);
    }
    if (rateLimit < 0 || rateLimit > 1_000_000) {
      throw invalid("relay.rate-limit must be between 0 (off) and 1000000 requests per minute and API key, was "
          + rateLimit);
    }
    requireBetween("relay.idempotency-retention", idempotencyRetention, Duration.ofMinutes(1), Duration.ofDays(30),
        "an engine's retries of one request must fall within it");
    if (tls == null) {
      throw invalid("relay.tls is required: RelayTls.NONE for plain HTTP");
    }
    if (limits == null) {
      throw invalid("the abuse limits are required: RelayConfig.Limits.DEFAULTS for the defaults");
    }
    if (batchParallelism < 1 || batchParallelism > 256) {
      throw invalid("relay.batch-parallelism must be between 1 and 256 records in flight per batch, was "
          + batchParallelism);
    }
    if (batchMaxBodyBytes < 1024 || batchMaxBodyBytes > 512L * 1024 * 1024) {
      throw invalid("relay.batch-max-body-bytes must be between 1024 (1 KB) and 536870912 (512 MB), was "
          + batchMaxBodyBytes);
    }
    if (store == null) {
      throw invalid("relay.store is required: StoreSettings.SQLITE for the embedded default");
    }
    requireBetween("relay.changes-retention", changesRetention, Duration.ofHours(1), Duration.ofDays(90),
        "engines must read the change feed more often than this, or they lose changes");
    if (metricsToken != null && (metricsToken.length() < 16 || !metricsToken.matches("[\\x21-\\x7e]+"))) {
      throw invalid("relay.metrics.token must be at least 16 printable characters without spaces (for example the "
          + "output of `openssl rand -hex 24`), was " + metricsToken.length() + " characters long");
    }
    if (dispatch == null) {
      throw invalid("relay.dispatch is required: RelayConfig.Dispatch.POLL for the agents' long polls");
    }
    checkCrossFieldRules(syncWindow, pollHold, jobDeadline, agentOfflineAfter);
  }

  /**
   * How jobs reach agents ({@code relay.dispatch}). With {@link Mode#SQS} the relay sends each job to the SQS
   * queue of its tenant and agent group, and receives results, heartbeats and dead letters from SQS; the
   * store stays the record of every job (state, idempotency, the engine's answer).
   *
   * @param mode {@code poll} (the default) or {@code sqs}
   * @param sqs the queue settings ({@code sqs.*}); required for {@code sqs}, ignored for {@code poll}
   */
  public record Dispatch(Mode mode, SqsSettings sqs) {

    public static final Dispatch POLL = new Dispatch(Mode.POLL, null);

    public enum Mode { POLL, SQS }

    public Dispatch {
      if (mode == null) {
        throw invalid("relay.dispatch must be poll or sqs");
      }
      if (mode == Mode.SQS && sqs == null) {
        throw invalid("relay.dispatch=sqs needs the queue settings: at least sqs.region (and sqs.endpoint for an "
            + "SQS-compatible server)");
      }
      if (mode == Mode.POLL) {
        sqs = null;
      }
    }

    public static Dispatch sqs(SqsSettings settings) {
      return new Dispatch(Mode.SQS, settings);
    }

    String describe() {
      return mode == Mode.POLL ? "relay.dispatch=poll" : "relay.dispatch=sqs " + sqs.describe();
    }
  }

  /** The defaults of ARCHITECTURE.md, listening on all interfaces at port 8080. */
  public static RelayConfig defaults(Path dataDir) {
    return new RelayConfig(DEFAULT_HOST, DEFAULT_PORT, dataDir, null,
        Duration.ofSeconds(25), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(10),
        Duration.ofSeconds(90), 5, 2L * 1024 * 1024, DEFAULT_RATE_LIMIT, Duration.ofHours(24),
        DEFAULT_BATCH_PARALLELISM, DEFAULT_BATCH_MAX_BODY_BYTES, Limits.DEFAULTS, RelayTls.NONE, false, false,
        StoreSettings.SQLITE, null, Dispatch.POLL, DEFAULT_CHANGES_RETENTION);
  }

  public RelayConfig withHost(String v) {
    return toBuilder().host(v).build();
  }

  public RelayConfig withPort(int v) {
    return toBuilder().port(v).build();
  }

  public RelayConfig withDataDir(Path v) {
    return toBuilder().dataDir(v).build();
  }

  public RelayConfig withPublicUrl(URI v) {
    return toBuilder().publicUrl(v).build();
  }

  public RelayConfig withSyncWindow(Duration v) {
    return toBuilder().syncWindow(v).build();
  }

  public RelayConfig withPollHold(Duration v) {
    return toBuilder().pollHold(v).build();
  }

  public RelayConfig withLeaseDuration(Duration v) {
    return toBuilder().leaseDuration(v).build();
  }

  public RelayConfig withJobDeadline(Duration v) {
    return toBuilder().jobDeadline(v).build();
  }

  public RelayConfig withAgentOfflineAfter(Duration v) {
    return toBuilder().agentOfflineAfter(v).build();
  }

  public RelayConfig withMaxAttempts(int v) {
    return toBuilder().maxAttempts(v).build();
  }

  public RelayConfig withMaxBodyBytes(long v) {
    return toBuilder().maxBodyBytes(v).build();
  }

  public RelayConfig withRateLimit(int v) {
    return toBuilder().rateLimit(v).build();
  }

  public RelayConfig withChangesRetention(Duration v) {
    return toBuilder().changesRetention(v).build();
  }

  public RelayConfig withIdempotencyRetention(Duration v) {
    return toBuilder().idempotencyRetention(v).build();
  }

  public RelayConfig withBatchParallelism(int v) {
    return toBuilder().batchParallelism(v).build();
  }

  public RelayConfig withBatchMaxBodyBytes(long v) {
    return toBuilder().batchMaxBodyBytes(v).build();
  }

  public RelayConfig withTls(RelayTls v) {
    return toBuilder().tls(v).build();
  }

  public RelayConfig withMetricsToken(String v) {
    return toBuilder().metricsToken(v).build();
  }

  public RelayConfig withDispatch(Dispatch v) {
    return toBuilder().dispatch(v).build();
  }

  public RelayConfig withLimits(Limits v) {
    return toBuilder().limits(v).build();
  }

  public RelayConfig withMaxJsonDepth(int v) {
    return withLimits(new Limits(v, limits.maxHeaderBytes(), limits.idleTimeout(), limits.maxPollsPerAgent(),
        limits.bodyTimeout(), limits.maxUnauthenticatedPerAddress()));
  }

  public RelayConfig withMaxHeaderBytes(int v) {
    return withLimits(new Limits(limits.maxJsonDepth(), v, limits.idleTimeout(), limits.maxPollsPerAgent(),
        limits.bodyTimeout(), limits.maxUnauthenticatedPerAddress()));
  }

  public RelayConfig withIdleTimeout(Duration v) {
    return withLimits(new Limits(limits.maxJsonDepth(), limits.maxHeaderBytes(), v, limits.maxPollsPerAgent(),
        limits.bodyTimeout(), limits.maxUnauthenticatedPerAddress()));
  }

  public RelayConfig withMaxPollsPerAgent(int v) {
    return withLimits(new Limits(limits.maxJsonDepth(), limits.maxHeaderBytes(), limits.idleTimeout(), v,
        limits.bodyTimeout(), limits.maxUnauthenticatedPerAddress()));
  }

  public RelayConfig withBodyTimeout(Duration v) {
    return withLimits(new Limits(limits.maxJsonDepth(), limits.maxHeaderBytes(), limits.idleTimeout(),
        limits.maxPollsPerAgent(), v, limits.maxUnauthenticatedPerAddress()));
  }

  public RelayConfig withMaxUnauthenticatedPerAddress(int v) {
    return withLimits(new Limits(limits.maxJsonDepth(), limits.maxHeaderBytes(), limits.idleTimeout(),
        limits.maxPollsPerAgent(), limits.bodyTimeout(), v));
  }

  /**
   * What one client may cost the relay, beyond the body limits and the per-key rate limit.
   *
   * @param maxJsonDepth the deepest nesting of arrays and objects in a JSON body (relay.max-json-depth)
   * @param maxHeaderBytes the largest request line plus headers (relay.max-header-bytes); more is 431
   * @param idleTimeout how long a connection may send nothing while the relay reads a request
   *     (relay.idle-timeout): a client that sends headers and then stalls is cut off after it. Held polls
   *     and sync-window waits are asynchronous and not subject to it
   * @param maxPollsPerAgent polls of one agent in progress at once (relay.max-polls-per-agent); more is 429
   * @param bodyTimeout how long a request body may take to arrive in full (relay.body-timeout), however
   *     steadily it trickles in; later is 408. Customer batches, which may be large uploads, are bounded
   *     by relay.idle-timeout only
   * @param maxUnauthenticatedPerAddress requests without a credential in a header (an enrollment, whose
   *     token is in the body) in progress at once from one client address
   *     (relay.max-unauthenticated-per-address); more is 429. Requests with credentials are not counted,
   *     so agents behind one NAT address are not limited by it
   */
  public record Limits(int maxJsonDepth, int maxHeaderBytes, Duration idleTimeout, int maxPollsPerAgent,
      Duration bodyTimeout, int maxUnauthenticatedPerAddress) {

    /** Deep enough for every Ferry message (a customer nests 3 levels), far below a stack's worth. */
    public static final int DEFAULT_MAX_JSON_DEPTH = 32;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** An agent's one poll plus the one that replaces it when the agent gave up on the first. */
    public static final int DEFAULT_MAX_POLLS_PER_AGENT = 2;
    /** A megabyte at 35 KB/s; Ferry's JSON bodies are a few kilobytes. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
    /** Twice the enrollments the bench sends at once from one address; enrollment is rare otherwise. */
    public static final int DEFAULT_MAX_UNAUTHENTICATED_PER_ADDRESS = 32;
    public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_JSON_DEPTH, DEFAULT_MAX_HEADER_BYTES,
        DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_POLLS_PER_AGENT, DEFAULT_BODY_TIMEOUT, DEFAULT_MAX_UNAUTHENTICATED_PER_ADDRESS);

    /** The limits before relay.body-timeout and relay.max-unauthenticated-per-address: those at their defaults. */
    public Limits(int maxJsonDepth, int maxHeaderBytes, Duration idleTimeout, int maxPollsPerAgent) {
      this(maxJsonDepth, maxHeaderBytes, idleTimeout, maxPollsPerAgent, DEFAULT_BODY_TIMEOUT,
          DEFAULT_MAX_UNAUTHENTICATED_PER_ADDRESS);
    }

    public Limits {
      if (maxJsonDepth < 4 || maxJsonDepth > 1000) {
        throw invalid("relay.max-json-depth must be between 4 and 1000 levels of nesting, was " + maxJsonDepth);
      }
      if (maxHeaderBytes < 1024 || maxHeaderBytes > 1024 * 1024) {
        throw invalid("relay.max-header-bytes must be between 1024 (1 KB) and 1048576 (1 MB), was " + maxHeaderBytes);
      }
      requireBetween("relay.idle-timeout", idleTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10),
          "how long a client may stall while sending a request");
      if (maxPollsPerAgent < 1 || maxPollsPerAgent > 100) {
        throw invalid("relay.max-polls-per-agent must be between 1 and 100 polls in progress, was "
            + maxPollsPerAgent);
      }
      requireBetween("relay.body-timeout", bodyTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10),
          "how long a request body may take to arrive");
      if (maxUnauthenticatedPerAddress < 1 || maxUnauthenticatedPerAddress > 100_000) {
        throw invalid("relay.max-unauthenticated-per-address must be between 1 and 100000 requests in progress, was "
            + maxUnauthenticatedPerAddress);
      }
    }

    String describe() {
      return "relay.max-json-depth=" + maxJsonDepth
          + " relay.max-header-bytes=" + maxHeaderBytes
          + " relay.idle-timeout=" + human(idleTimeout)
          + " relay.max-polls-per-agent=" + maxPollsPerAgent
          + " relay.body-timeout=" + human(bodyTimeout)
          + " relay.max-unauthenticated-per-address=" + maxUnauthenticatedPerAddress;
    }
  }

  /** The effective configuration as one log line; the key store and database passwords are masked. */
  public String describe() {
    return "relay.host=" + host
        + " relay.port=" + port
        + " relay.data-dir=" + dataDir.toAbsolutePath()
        + " relay.public-url=" + (publicUrl == null ? "(from each request's Host header)" : publicUrl)
        + " relay.sync-window=" + human(syncWindow)
        + " relay.poll-hold=" + human(pollHold)
        + " relay.lease-duration=" + human(leaseDuration)
        + " relay.job-deadline=" + human(jobDeadline)
        + " relay.agent-offline-after=" + human(agentOfflineAfter)
        + " relay.max-attempts=" + maxAttempts
        + " relay.max-body-bytes=" + maxBodyBytes
        + " relay.rate-limit=" + (rateLimit == 0 ? "off" : rateLimit + "/min per API key")
        + " relay.idempotency-retention=" + human(idempotencyRetention)
        + " " + tls.describe()
        + " relay.batch-parallelism=" + batchParallelism
        + " relay.batch-max-body-bytes=" + batchMaxBodyBytes
        + " " + limits.describe()
        + " relay.callback-private-networks=" + callbackPrivateNetworks
        + " relay.callback-loopback=" + callbackLoopback
        + " " + store.describe()
        + " relay.metrics.token=" + (metricsToken == null ? "(unset: /metrics for loopback callers only)" : "****")
        + " " + dispatch.describe()
        + " relay.changes-retention=" + human(changesRetention);
  }

  /** Safe to log: the same as {@link #describe()}, secrets masked (a record's own toString would print them). */
  @Override
  public String toString() {
    return "RelayConfig[" + describe() + "]";
  }

  /** Cross-field rules, all in one place. */
  private static void checkCrossFieldRules(Duration syncWindow, Duration pollHold, Duration jobDeadline,
      Duration agentOfflineAfter) {
    if (syncWindow.compareTo(jobDeadline) >= 0) {
      throw invalid("relay.sync-window (" + human(syncWindow) + ") must be shorter than relay.job-deadline ("
          + human(jobDeadline) + "): an engine would otherwise wait for a job that has already expired");
    }
    if (agentOfflineAfter.compareTo(pollHold) <= 0) {
      throw invalid("relay.agent-offline-after (" + human(agentOfflineAfter) + ") must be longer than relay.poll-hold ("
          + human(pollHold) + "): an agent waiting in a held poll would otherwise count as offline");
    }
  }

  private static void checkPublicUrl(URI url) {
    String scheme = url.getScheme();
    if (!url.isAbsolute() || url.getHost() == null
        || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
      throw invalid("relay.public-url must be an absolute http or https URL such as https://relay.example.com, was " + url);
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw invalid("relay.public-url must not have a query or fragment, was " + url);
    }
  }

  private static void requireText(String setting, String value) {
    if (value == null || value.isBlank()) {
      throw invalid(setting + " must not be empty; use 0.0.0.0 for all interfaces or 127.0.0.1 for this machine only");
    }
  }

  private static void requireBetween(String setting, Duration value, Duration min, Duration max, String why) {
    Objects.requireNonNull(setting);
    if (value == null) {
      throw invalid(setting + " is required (between " + human(min) + " and " + human(max) + ")");
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw invalid(setting + " must be between " + human(min) + " and " + human(max)
          + (why == null ? "" : " (" + why + ")") + ", was " + human(value));
    }
  }

  private static IllegalArgumentException invalid(String message) {
    return new IllegalArgumentException(message);
  }

  /** {@code 25s}, {@code 90s}, {@code 10m}, {@code 500ms}: the form operators write ({@link Durations}). */
  static String human(Duration d) {
    return Durations.format(d);
  }

  /** A copy of this configuration to change some settings of; {@link Builder#build()} validates again. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some settings of an existing configuration; the record's constructor checks the result. */
  public static final class Builder {
    private String host;
    private int port;
    private Path dataDir;
    private URI publicUrl;
    private Duration syncWindow;
    private Duration pollHold;
    private Duration leaseDuration;
    private Duration jobDeadline;
    private Duration agentOfflineAfter;
    private int maxAttempts;
    private long maxBodyBytes;
    private int rateLimit;
    private Duration idempotencyRetention;
    private int batchParallelism;
    private long batchMaxBodyBytes;
    private Limits limits;
    private RelayTls tls;
    private boolean callbackPrivateNetworks;
    private boolean callbackLoopback;
    private StoreSettings store;
    private String metricsToken;
    private Dispatch dispatch;
    private Duration changesRetention;

    private Builder(RelayConfig c) {
      host = c.host;
      port = c.port;
      dataDir = c.dataDir;
      publicUrl = c.publicUrl;
      syncWindow = c.syncWindow;
      pollHold = c.pollHold;
      leaseDuration = c.leaseDuration;
      jobDeadline = c.jobDeadline;
      agentOfflineAfter = c.agentOfflineAfter;
      maxAttempts = c.maxAttempts;
      maxBodyBytes = c.maxBodyBytes;
      rateLimit = c.rateLimit;
      idempotencyRetention = c.idempotencyRetention;
      batchParallelism = c.batchParallelism;
      batchMaxBodyBytes = c.batchMaxBodyBytes;
      limits = c.limits;
      tls = c.tls;
      callbackPrivateNetworks = c.callbackPrivateNetworks;
      callbackLoopback = c.callbackLoopback;
      store = c.store;
      metricsToken = c.metricsToken;
      dispatch = c.dispatch;
      changesRetention = c.changesRetention;
    }

    public Builder host(String v) {
      host = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder dataDir(Path v) {
      dataDir = v;
      return this;
    }

    public Builder publicUrl(URI v) {
      publicUrl = v;
      return this;
    }

    public Builder syncWindow(Duration v) {
      syncWindow = v;
      return this;
    }

    public Builder pollHold(Duration v) {
      pollHold = v;
      return this;
    }

    public Builder leaseDuration(Duration v) {
      leaseDuration = v;
      return this;
    }

    public Builder jobDeadline(Duration v) {
      jobDeadline = v;
      return this;
    }

    public Builder agentOfflineAfter(Duration v) {
      agentOfflineAfter = v;
      return this;
    }

    public Builder maxAttempts(int v) {
      maxAttempts = v;
      return this;
    }

    public Builder maxBodyBytes(long v) {
      maxBodyBytes = v;
      return this;
    }

    public Builder rateLimit(int v) {
      rateLimit = v;
      return this;
    }

    public Builder idempotencyRetention(Duration v) {
      idempotencyRetention = v;
      return this;
    }

    public Builder batchParallelism(int v) {
      batchParallelism = v;
      return this;
    }

    public Builder batchMaxBodyBytes(long v) {
      batchMaxBodyBytes = v;
      return this;
    }

    public Builder limits(Limits v) {
      limits = v;
      return this;
    }

    public Builder tls(RelayTls v) {
      tls = v;
      return this;
    }

    public Builder callbackPrivateNetworks(boolean v) {
      callbackPrivateNetworks = v;
      return this;
    }

    /** Whether callbacks may go to this machine (relay.callback-loopback); off by default. */
    public Builder callbackLoopback(boolean v) {
      callbackLoopback = v;
      return this;
    }

    /** Where jobs, keys and agents are kept (relay.store); {@link StoreSettings#SQLITE} by default. */
    public Builder store(StoreSettings v) {
      store = v;
      return this;
    }

    public Builder metricsToken(String v) {
      metricsToken = v == null || v.isBlank() ? null : v.strip();
      return this;
    }

    public Builder dispatch(Dispatch v) {
      dispatch = v;
      return this;
    }

    /** How long customer changes stay in the feed (relay.changes-retention); 7 days by default. */
    public Builder changesRetention(Duration v) {
      changesRetention = v;
      return this;
    }

    public RelayConfig build() {
      return new RelayConfig(host, port, dataDir, publicUrl, syncWindow, pollHold, leaseDuration, jobDeadline, agentOfflineAfter, maxAttempts, maxBodyBytes, rateLimit, idempotencyRetention, batchParallelism, batchMaxBodyBytes, limits, tls,
          callbackPrivateNetworks, callbackLoopback, store, metricsToken, dispatch, changesRetention);
    }
  }
}
