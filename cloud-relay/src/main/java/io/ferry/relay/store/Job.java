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
 * @param apiKeyId the API key the engine asked with (its webhook secret signs the callback); null for
 *     jobs queued before V2
 * @param callbackUrl where the relay posts the outcome when the job ends; null for none
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
    Instant finishedAt,
    String apiKeyId,
    String callbackUrl) {

  public Job {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(requestJson, "requestJson");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(deadline, "deadline");
  }

  /**
   * A new job, as it is inserted. Its times are kept in milliseconds, as the store keeps them, so an answer
   * made from this object says what a later read of the job says.
   */
  public static Job queued(String id, String tenantId, String agentGroup, Action action, String requestJson,
      String traceparent, Instant now, Instant deadline) {
    return new Job(id, tenantId, agentGroup, action, JobState.QUEUED, 0, requestJson, null, null, traceparent,
        millis(now), millis(deadline), null, null, null, null, null);
  }

  private static Instant millis(Instant t) {
    return t == null ? null : Instant.ofEpochMilli(t.toEpochMilli());
  }

  /** This job as asked for by {@code apiKeyId}, with the outcome to be posted to {@code callbackUrl} (or not, if null). */
  public Job withOrigin(String apiKeyId, String callbackUrl) {
    return new Job(id, tenantId, agentGroup, action, state, attempt, requestJson, resultJson, errorJson, traceparent,
        createdAt, deadline, leaseExpiresAt, leasedBy, finishedAt, apiKeyId, callbackUrl);
  }

  /**
   * This new job leased at once, as its first attempt, to {@code agentId} until {@code leaseExpiresAt}: for a
   * job handed to a poll that is already waiting, so it is inserted leased in one commit instead of queued
   * in one and claimed in another ({@link JobStore#insert(Job)} takes it so).
   */
  public Job leasedOnArrival(String agentId, Instant leaseExpiresAt) {
    if (state != JobState.QUEUED || attempt != 0) {
      throw new IllegalStateException("only a new job can be leased on arrival, not one " + state + " at attempt "
          + attempt);
    }
    return withState(JobState.LEASED, 1, null, millis(leaseExpiresAt), agentId, null);
  }

  /**
   * This job as {@link JobStore#complete} left it when the result of {@code attempt} by {@code agentId} was
   * accepted at {@code at}: what a read of the row would return, without the read.
   */
  public Job endedBy(String agentId, int endedAttempt, JobState endState, String endResultJson, String endErrorJson,
      Instant at) {
    return new Job(id, tenantId, agentGroup, action, endState, endedAttempt, requestJson, endResultJson, endErrorJson,
        traceparent, createdAt, deadline, null, agentId, millis(at), apiKeyId, callbackUrl);
  }

  /** The same job in another state (what a guarded UPDATE just did). */
  Job withState(JobState newState, int newAttempt, String newErrorJson, Instant newLeaseExpiresAt, String newLeasedBy,
      Instant newFinishedAt) {
    return new Job(id, tenantId, agentGroup, action, newState, newAttempt, requestJson, resultJson, newErrorJson,
        traceparent, createdAt, deadline, newLeaseExpiresAt, newLeasedBy, newFinishedAt, apiKeyId, callbackUrl);
  }
}
