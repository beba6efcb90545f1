package io.ferry.relay.store;

import io.ferry.protocol.Action;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the {@code jobs} table. The JSON columns are opaque to the store.
 *
 * @param agentGroup the group whose agents may take the job; null for any agent of the tenant
 * @param attempt how many times the job was leased; 0 until the first claim
 * @param leasedBy the agent that holds (or last held) the lease
 */
public record Job(
    String id,
    String tenantId,
    String agentGroup,
    Action action,
    JobState state,
    int attempt,
    String requestJson,
    String resultJson,
    String errorJson,
    String traceparent,
    Instant createdAt,
    Instant deadline,
    Instant leaseExpiresAt,
    String leasedBy,
    Instant finishedAt) {

  public Job {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(requestJson, "requestJson");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(deadline, "deadline");
  }

  /** A new job, as it is inserted. */
  public static Job queued(String id, String tenantId, String agentGroup, Action action, String requestJson,
      String traceparent, Instant now, Instant deadline) {
    return new Job(id, tenantId, agentGroup, action, JobState.QUEUED, 0, requestJson, null, null, traceparent,
        now, deadline, null, null, null);
  }
}
