package io.ferry.agent;

import io.ferry.agent.changes.ChangeSettings;
import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.metrics.MetricsSettings;
import io.ferry.agent.poll.PollLoop;
import io.ferry.agent.proxy.ProxySettings;
import io.ferry.agent.sap.resilience.ResilienceSettings;
import io.ferry.agent.tls.TlsSettings;
import io.ferry.protocol.Durations;
import io.ferry.sqs.SqsSettings;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the agent needs to reach the relay and run jobs, validated when built. The SAP side has
 * its own settings ({@code io.ferry.agent.sap.setup.SapSettings}).
 *
 * @param relayUrl the relay's base URL, e.g. {@code https://relay.example.com}
 * @param dataDir where credentials and the journal live
 * @param workers jobs run at once (each holds one SAP connection)
 * @param pollTimeout the client's read timeout for a long-poll: longer than the relay's hold (30 s)
 * @param leaseRenewEvery how often a running job's lease is renewed: well inside the relay's lease (60 s)
 * @param shutdownGrace how long a stopping agent lets running jobs finish
 * @param allowInsecureHttp whether a plain {@code http} relay URL to a host other than loopback is accepted
 *     ({@code agent.allow-insecure-http}); never by default: the agent's key and SAP's data would cross the
 *     network in clear text
 * @param tls how the relay's certificate is checked
 * @param proxy the HTTP proxy to the relay
 * @param policy what the agent runs against SAP, whatever the relay asks
 * @param sapResilience retries of transient SAP failures and the circuit breaker ({@code agent.sap-retry.*},
 *     {@code agent.sap-breaker.*})
 * @param pollWatchdog {@code agent.poll-watchdog}: a poll that neither returns nor fails within this (the
 *     relay's hold plus a grace) is abandoned and a new one started on a fresh connection
 * @param metrics the agent's own Prometheus endpoint ({@code agent.metrics.*}); {@link MetricsSettings#OFF} for none
 * @param transport how the agent gets jobs ({@code agent.transport}): from the relay on a stream, long polls when
 *     the stream cannot be had (the default), long polls only, or its tenant and group's Amazon SQS queues
 * @param catalogRefresh {@code agent.catalog-refresh}: how often the interfaces of the functions in
 *     {@code policy.functions} are read again for the catalog fingerprint every poll names (docs/functions.md)
 * @param changes the change watcher ({@code agent.changes.*}, {@code sap.time-zone}; docs/changes.md);
 *     {@link ChangeSettings#OFF} for none
 */
public record AgentConfig(
    URI relayUrl,
    Path dataDir,
    int workers,
    Duration connectTimeout,
    Duration pollTimeout,
    Duration leaseRenewEvery,
    Duration backoffInitial,
    Duration backoffMax,
    Duration shutdownGrace,
    boolean allowInsecureHttp,
    TlsSettings tls,
    ProxySettings proxy,
    AgentPolicy policy,
    ResilienceSettings sapResilience,
    Duration pollWatchdog,
    MetricsSettings metrics,
    Transport transport,
    Duration catalogRefresh,
    ChangeSettings changes) {

  public static final int DEFAULT_WORKERS = 4;

  /**
   * How the agent gets jobs ({@code agent.transport}). With {@link Mode#SQS} it receives them from its own
   * tenant and group's jobs queue over HTTPS, keeps a running job's message invisible (its lease), and sends
   * results and heartbeats to its results queue; the relay URL is still where it enrolls.
   *
   * <p>With {@link Mode#STREAM} (the default) the agent polls and posts results on one WebSocket to the relay
   * (outbound, opened in its session) and falls back to long polls over HTTP requests where the relay or a proxy
   * on the way does not take it; {@link Mode#POLL} makes only HTTP requests, for a proxy that lets the upgrade
   * through and then breaks the connection.
   *
   * @param mode {@code stream} (the default), {@code poll} or {@code sqs}
   * @param sqs the queue settings ({@code sqs.*}), the same queue prefix and FIFO choice as the relay's; required
   *     for {@code sqs}
   */
  public record Transport(Mode mode, SqsSettings sqs) {

    public static final Transport STREAM = new Transport(Mode.STREAM, null);
    public static final Transport POLL = new Transport(Mode.POLL, null);

    public enum Mode { STREAM, POLL, SQS }

    public Transport {
      if (mode == null) {
        throw new IllegalArgumentException("agent.transport must be stream, poll or sqs");
      }
      if (mode == Mode.SQS && sqs == null) {
        throw new IllegalArgumentException("agent.transport=sqs needs the queue settings: at least sqs.region (and "
            + "sqs.endpoint for an SQS-compatible server), with the relay's sqs.queue-prefix and sqs.fifo");
      }
      if (mode != Mode.SQS) {
        sqs = null;
      }
    }

    public static Transport sqs(SqsSettings settings) {
      return new Transport(Mode.SQS, settings);
    }

    List<String> describe() {
      return mode == Mode.SQS ? List.of("agent.transport=sqs", sqs.describe())
          : List.of("agent.transport=" + mode.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  public AgentConfig {
    List<String> problems = new ArrayList<>();
    if (transport == null) {
      problems.add("agent.transport is required (AgentConfig.Transport.STREAM for jobs from the relay)");
    }
    if (relayUrl == null) {
      problems.add("agent.relay-url is required: the relay's base URL, for example https://relay.example.com");
    } else if (!"http".equals(relayUrl.getScheme()) && !"https".equals(relayUrl.getScheme())
        || relayUrl.getHost() == null) {
      problems.add("agent.relay-url must be an http or https URL with a host, was '" + relayUrl + "'");
    } else if ("http".equals(relayUrl.getScheme()) && !allowInsecureHttp && !isLoopback(relayUrl.getHost())) {
      problems.add("agent.relay-url " + relayUrl + " is plain http to a host that is not this machine: the agent's key "
          + "and SAP's data would cross the network unencrypted. Use the relay's https URL, or set "
          + "agent.allow-insecure-http=true if a TLS-terminating proxy on a trusted network sits in between");
    }
    if (dataDir == null) {
      problems.add("agent.data-dir is required: a directory the agent may write (credentials, journal)");
    }
    if (workers < 1 || workers > 256) {
      problems.add("agent.workers must be between 1 and 256, was " + workers);
    }
    requireBetween(problems, "agent.connect-timeout", connectTimeout, Duration.ofMillis(100), Duration.ofMinutes(2));
    requireBetween(problems, "agent.poll-timeout", pollTimeout, Duration.ofSeconds(1), Duration.ofMinutes(5));
    requireBetween(problems, "agent.lease-renew-every", leaseRenewEvery, Duration.ofMillis(100), Duration.ofMinutes(5));
    requireBetween(problems, "agent.backoff-initial", backoffInitial, Duration.ofMillis(10), Duration.ofMinutes(1));
    requireBetween(problems, "agent.backoff-max", backoffMax, Duration.ofMillis(10), Duration.ofMinutes(30));
    requireBetween(problems, "agent.shutdown-grace", shutdownGrace, Duration.ZERO, Duration.ofHours(1));
    if (backoffInitial != null && backoffMax != null && backoffMax.compareTo(backoffInitial) < 0) {
      problems.add("agent.backoff-max must not be shorter than agent.backoff-initial, was " + Durations.format(backoffMax)
          + " < " + Durations.format(backoffInitial));
    }
    if (tls == null) {
      problems.add("agent.tls settings are required (TlsSettings.SYSTEM for the system trust store)");
    }
    if (proxy == null) {
      problems.add("agent.proxy settings are required (ProxySettings.DIRECT for none)");
    }
    if (policy == null) {
      problems.add("the policy.* settings are required (AgentPolicy.defaults() for the defaults)");
    }
    requireBetween(problems, "agent.poll-watchdog", pollWatchdog, Duration.ofSeconds(1), Duration.ofMinutes(10));
    requireBetween(problems, "agent.catalog-refresh", catalogRefresh, Duration.ofMinutes(1), Duration.ofHours(24));
    if (metrics == null) {
      problems.add("the agent.metrics.* settings are required (MetricsSettings.OFF for none)");
    }
    if (sapResilience == null) {
      problems.add("the agent.sap-retry.* and agent.sap-breaker.* settings are required (ResilienceSettings.defaults())");
    }
    if (changes == null) {
      problems.add("the agent.changes.* settings are required (ChangeSettings.OFF for none)");
    } else if (changes.customers() && policy != null && !policy.permits(io.ferry.protocol.Action.CUSTOMER_READ)) {
      problems.add("agent.changes.customers.enabled=true needs customer.read in policy.actions: the watcher reads "
          + "each changed customer as a customer.read job does. Add customer.read to policy.actions, or set "
          + "agent.changes.customers.enabled=false");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** True for {@code localhost} and loopback addresses, written as such (no name resolution). */
  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false; // a name: only what it resolves to could tell, and that can change
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** The defaults of ARCHITECTURE.md for a relay URL and data directory. */
  public static AgentConfig defaults(URI relayUrl, Path dataDir) {
    return new AgentConfig(relayUrl, dataDir, DEFAULT_WORKERS, Duration.ofSeconds(10), Duration.ofSeconds(40),
        Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(30), false,
        TlsSettings.SYSTEM, ProxySettings.DIRECT, AgentPolicy.defaults(), ResilienceSettings.defaults(),
        PollLoop.DEFAULT_WATCHDOG, MetricsSettings.OFF, Transport.STREAM,
        io.ferry.agent.catalog.CatalogFingerprint.DEFAULT_REFRESH, ChangeSettings.OFF);
  }

  public AgentConfig withWorkers(int n) {
    return toBuilder().workers(n).build();
  }

  public AgentConfig withPollTimeout(Duration d) {
    return toBuilder().pollTimeout(d).build();
  }

  public AgentConfig withLeaseRenewEvery(Duration d) {
    return toBuilder().leaseRenewEvery(d).build();
  }

  public AgentConfig withBackoff(Duration initial, Duration max) {
    return toBuilder().backoffInitial(initial).backoffMax(max).build();
  }

  public AgentConfig withShutdownGrace(Duration d) {
    return toBuilder().shutdownGrace(d).build();
  }

  public AgentConfig withDataDir(Path d) {
    return toBuilder().dataDir(d).build();
  }

  public AgentConfig withAllowInsecureHttp(boolean allow) {
    return toBuilder().allowInsecureHttp(allow).build();
  }

  public AgentConfig withTls(TlsSettings t) {
    return toBuilder().tls(t).build();
  }

  public AgentConfig withProxy(ProxySettings p) {
    return toBuilder().proxy(p).build();
  }

  public AgentConfig withPolicy(AgentPolicy p) {
    return toBuilder().policy(p).build();
  }

  public AgentConfig withSapResilience(ResilienceSettings r) {
    return toBuilder().sapResilience(r).build();
  }

  public AgentConfig withPollWatchdog(Duration d) {
    return toBuilder().pollWatchdog(d).build();
  }

  public AgentConfig withMetrics(MetricsSettings m) {
    return toBuilder().metrics(m).build();
  }

  public AgentConfig withTransport(Transport t) {
    return toBuilder().transport(t).build();
  }

  public AgentConfig withCatalogRefresh(Duration d) {
    return toBuilder().catalogRefresh(d).build();
  }

  public AgentConfig withChanges(ChangeSettings c) {
    return toBuilder().changes(c).build();
  }

  /**
   * The effective configuration as {@code key=value} lines, for the start-up log and
   * {@code ferry agent config show}. Holds no secret: the proxy password is masked.
   */
  public List<String> describe() {
    List<String> lines = new ArrayList<>(List.of(
        "agent.relay-url=" + relayUrl,
        "agent.data-dir=" + dataDir.toAbsolutePath(),
        "agent.workers=" + workers,
        "agent.connect-timeout=" + Durations.format(connectTimeout),
        "agent.poll-timeout=" + Durations.format(pollTimeout),
        "agent.poll-watchdog=" + Durations.format(pollWatchdog),
        "agent.catalog-refresh=" + Durations.format(catalogRefresh),
        "agent.lease-renew-every=" + Durations.format(leaseRenewEvery),
        "agent.backoff-initial=" + Durations.format(backoffInitial),
        "agent.backoff-max=" + Durations.format(backoffMax),
        "agent.shutdown-grace=" + Durations.format(shutdownGrace),
        "agent.allow-insecure-http=" + allowInsecureHttp));
    lines.addAll(tls.describe());
    lines.addAll(proxy.describe());
    lines.addAll(sapResilience.describe());
    lines.addAll(policy.describe());
    lines.addAll(metrics.describe());
    lines.addAll(transport.describe());
    lines.addAll(changes.describe());
    return lines;
  }

  /** Safe to log: secrets are masked. */
  @Override
  public String toString() {
    return "AgentConfig[" + String.join(", ", describe()) + "]";
  }

  private static void requireBetween(List<String> problems, String name, Duration value, Duration min, Duration max) {
    if (value == null) {
      problems.add(name + " is required");
    } else if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      problems.add(name + " must be between " + Durations.format(min) + " and " + Durations.format(max) + ", was "
          + Durations.format(value));
    }
  }

  /** A copy of this configuration to change some settings of; {@link Builder#build()} validates again. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some settings of an existing configuration; the record's constructor checks the result. */
  public static final class Builder {
    private URI relayUrl;
    private Path dataDir;
    private int workers;
    private Duration connectTimeout;
    private Duration pollTimeout;
    private Duration leaseRenewEvery;
    private Duration backoffInitial;
    private Duration backoffMax;
    private Duration shutdownGrace;
    private boolean allowInsecureHttp;
    private TlsSettings tls;
    private ProxySettings proxy;
    private AgentPolicy policy;
    private ResilienceSettings sapResilience;
    private Duration pollWatchdog;
    private MetricsSettings metrics;
    private Transport transport;
    private Duration catalogRefresh;
    private ChangeSettings changes;

    private Builder(AgentConfig c) {
      relayUrl = c.relayUrl;
      dataDir = c.dataDir;
      workers = c.workers;
      connectTimeout = c.connectTimeout;
      pollTimeout = c.pollTimeout;
      leaseRenewEvery = c.leaseRenewEvery;
      backoffInitial = c.backoffInitial;
      backoffMax = c.backoffMax;
      shutdownGrace = c.shutdownGrace;
      allowInsecureHttp = c.allowInsecureHttp;
      tls = c.tls;
      proxy = c.proxy;
      policy = c.policy;
      sapResilience = c.sapResilience;
      pollWatchdog = c.pollWatchdog;
      metrics = c.metrics;
      transport = c.transport;
      catalogRefresh = c.catalogRefresh;
      changes = c.changes;
    }

    public Builder relayUrl(URI v) {
      relayUrl = v;
      return this;
    }

    public Builder dataDir(Path v) {
      dataDir = v;
      return this;
    }

    public Builder workers(int v) {
      workers = v;
      return this;
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder pollTimeout(Duration v) {
      pollTimeout = v;
      return this;
    }

    public Builder leaseRenewEvery(Duration v) {
      leaseRenewEvery = v;
      return this;
    }

    public Builder backoffInitial(Duration v) {
      backoffInitial = v;
      return this;
    }

    public Builder backoffMax(Duration v) {
      backoffMax = v;
      return this;
    }

    public Builder shutdownGrace(Duration v) {
      shutdownGrace = v;
      return this;
    }

    public Builder allowInsecureHttp(boolean v) {
      allowInsecureHttp = v;
      return this;
    }

    public Builder tls(TlsSettings v) {
      tls = v;
      return this;
    }

    public Builder proxy(ProxySettings v) {
      proxy = v;
      return this;
    }

    public Builder policy(AgentPolicy v) {
      policy = v;
      return this;
    }

    public Builder sapResilience(ResilienceSettings v) {
      sapResilience = v;
      return this;
    }

    public Builder pollWatchdog(Duration v) {
      pollWatchdog = v;
      return this;
    }

    public Builder metrics(MetricsSettings v) {
      metrics = v;
      return this;
    }

    public Builder transport(Transport v) {
      transport = v;
      return this;
    }

    public Builder catalogRefresh(Duration v) {
      catalogRefresh = v;
      return this;
    }

    public Builder changes(ChangeSettings v) {
      changes = v;
      return this;
    }

    public AgentConfig build() {
      return new AgentConfig(relayUrl, dataDir, workers, connectTimeout, pollTimeout, leaseRenewEvery, backoffInitial, backoffMax, shutdownGrace, allowInsecureHttp, tls, proxy, policy, sapResilience, pollWatchdog, metrics, transport, catalogRefresh, changes);
    }
  }
}
