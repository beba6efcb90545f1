package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Lease renewal, both ways: the agent sends its {@code attempt}; the relay answers with the new
 * {@code leaseExpiresAt}. A renewal for an attempt that is no longer current is refused with 409.
 *
 * @param inFlight optional, agent to relay: the jobs the agent is running now. A renewal is the agent's
 *     heartbeat while all its workers are busy and it does not poll, so it carries the count a poll would.
 *     Older agents leave it out; the relay then keeps the count it last had
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LeaseRenewal(int protocolVersion, String jobId, int attempt, Instant leaseExpiresAt, Integer inFlight) {

  public LeaseRenewal(int protocolVersion, String jobId, int attempt, Instant leaseExpiresAt) {
    this(protocolVersion, jobId, attempt, leaseExpiresAt, null);
  }
}
