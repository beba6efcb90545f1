package io.ferry.agent.status;

import io.ferry.agent.sap.resilience.BreakerStatus;
import java.time.Instant;
import java.util.List;

/**
 * What a running agent tells about itself in its status file, for {@code ferry agent status}: the agent
 * opens no port, so the file in its data directory is the way to ask.
 *
 * @param version the agent's version
 * @param pid the agent's process id
 * @param writtenAt when the agent wrote this; a file not rewritten for {@link StatusFile#STALE_AFTER} belongs
 *     to an agent that is not running
 * @param breakers the circuit breaker of each SAP backend
 * @param inFlight jobs running now
 * @param lastSuccessfulPoll when a poll last reached the relay; null if none has yet
 * @param outboxPending results in the journal not yet delivered to the relay
 * @param missingSettings settings that jobs needed and the configuration lacks (since the agent started),
 *     most recent first; empty when none (absent in files of older agents)
 */
public record AgentStatus(String version, long pid, Instant writtenAt, List<BreakerStatus> breakers, int inFlight,
    Instant lastSuccessfulPoll, int outboxPending, List<MissingSetting> missingSettings) {

  /**
   * A setting such as {@code sap.reference-customer.1000/10/00} that jobs needed: the engine was answered
   * {@code sap-configuration} (not worth a retry) until an operator adds it.
   *
   * @param setting the configuration key
   * @param jobs how many jobs failed for lack of it
   * @param lastAt when the last of them did
   */
  public record MissingSetting(String setting, long jobs, Instant lastAt) {}

  public AgentStatus {
    breakers = breakers == null ? List.of() : List.copyOf(breakers);
    missingSettings = missingSettings == null ? List.of() : List.copyOf(missingSettings);
  }

  /** A status without missing settings. */
  public AgentStatus(String version, long pid, Instant writtenAt, List<BreakerStatus> breakers, int inFlight,
      Instant lastSuccessfulPoll, int outboxPending) {
    this(version, pid, writtenAt, breakers, inFlight, lastSuccessfulPoll, outboxPending, List.of());
  }
}
