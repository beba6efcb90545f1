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
 */
public record AgentStatus(String version, long pid, Instant writtenAt, List<BreakerStatus> breakers, int inFlight,
    Instant lastSuccessfulPoll, int outboxPending) {

  public AgentStatus {
    breakers = breakers == null ? List.of() : List.copyOf(breakers);
  }
}
