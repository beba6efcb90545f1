package io.ferry.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the agent needs to reach the relay and run jobs, validated when built. The SAP side has
 * its own settings ({@code io.ferry.agent.sap.SapSettings}).
 *
 * @param relayUrl the relay's base URL, e.g. {@code https://relay.example.com}
 * @param dataDir where credentials and the result outbox live
 * @param workers jobs run at once (each holds one SAP connection)
 * @param pollTimeout the client's read timeout for a long-poll: longer than the relay's hold (30 s)
 * @param leaseRenewEvery how often a running job's lease is renewed: well inside the relay's lease (60 s)
 * @param shutdownGrace how long a stopping agent lets running jobs finish
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
    Duration shutdownGrace) {

  public static final int DEFAULT_WORKERS = 4;

  public AgentConfig {
    List<String> problems = new ArrayList<>();
    if (relayUrl == null) {
      problems.add("agent.relay-url is required: the relay's base URL, for example https://relay.example.com");
    } else if (!"http".equals(relayUrl.getScheme()) && !"https".equals(relayUrl.getScheme())
        || relayUrl.getHost() == null) {
      problems.add("agent.relay-url must be an http or https URL with a host, was '" + relayUrl + "'");
    }
    if (dataDir == null) {
      problems.add("agent.data-dir is required: a directory the agent may write (credentials, result outbox)");
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
      problems.add("agent.backoff-max must not be shorter than agent.backoff-initial, was " + backoffMax + " < " + backoffInitial);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The defaults of ARCHITECTURE.md for a relay URL and data directory. */
  public static AgentConfig defaults(URI relayUrl, Path dataDir) {
    return new AgentConfig(relayUrl, dataDir, DEFAULT_WORKERS, Duration.ofSeconds(10), Duration.ofSeconds(40),
        Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(30));
  }

  public AgentConfig withWorkers(int n) {
    return new AgentConfig(relayUrl, dataDir, n, connectTimeout, pollTimeout, leaseRenewEvery, backoffInitial, backoffMax, shutdownGrace);
  }

  public AgentConfig withPollTimeout(Duration d) {
    return new AgentConfig(relayUrl, dataDir, workers, connectTimeout, d, leaseRenewEvery, backoffInitial, backoffMax, shutdownGrace);
  }

  public AgentConfig withLeaseRenewEvery(Duration d) {
    return new AgentConfig(relayUrl, dataDir, workers, connectTimeout, pollTimeout, d, backoffInitial, backoffMax, shutdownGrace);
  }

  public AgentConfig withBackoff(Duration initial, Duration max) {
    return new AgentConfig(relayUrl, dataDir, workers, connectTimeout, pollTimeout, leaseRenewEvery, initial, max, shutdownGrace);
  }

  public AgentConfig withShutdownGrace(Duration d) {
    return new AgentConfig(relayUrl, dataDir, workers, connectTimeout, pollTimeout, leaseRenewEvery, backoffInitial, backoffMax, d);
  }

  private static void requireBetween(List<String> problems, String name, Duration value, Duration min, Duration max) {
    if (value == null) {
      problems.add(name + " is required");
    } else if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      problems.add(name + " must be between " + min + " and " + max + ", was " + value);
    }
  }
}
