package io.ferry.relay.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The durable job queue. Every state change is one SQL statement guarded by the state it expects,
 * so a change that lost a race changes nothing; every method returns after its transaction committed.
 */
public interface JobStore {

  /**
   * Persists a new {@link JobState#QUEUED} job, or one {@link Job#leasedOnArrival leased on arrival} to the
   * poll it is handed to; on disk when this returns.
   */
  void insert(Job job);

  /**
   * Persists a new job (queued or leased on arrival) under an idempotency key, in one transaction: unless a live entry for the
   * tenant and key exists, the key and the job are inserted and empty is returned; otherwise nothing
   * is written and the existing entry is returned (whatever its fingerprint). An entry expired at
   * {@code key.createdAt()} counts as absent and is replaced.
   */
  Optional<IdempotencyEntry> insert(Job job, IdempotencyEntry key);

  /** The live (not expired at {@code now}) entry for the tenant's key. */
  Optional<IdempotencyEntry> findIdempotencyKey(String tenantId, String key, Instant now);

  /** Deletes entries expired at {@code now}; returns how many. */
  int purgeIdempotencyKeys(Instant now);

  /** The job, if it exists and belongs to the tenant. */
  Optional<Job> find(String tenantId, String jobId);

  /**
   * Leases up to {@code maxJobs} queued jobs of the tenant (oldest first, deadline not passed) whose
   * group is {@code agentGroup} or unset, to {@code agentId}: each becomes LEASED with attempt + 1.
   * Two claims never get the same job: on SQLite claims are serialised, on PostgreSQL a claim locks the
   * rows it takes and skips those another claim holds ({@code FOR UPDATE SKIP LOCKED}).
   */
  List<Job> claim(String tenantId, String agentGroup, String agentId, int maxJobs, Instant now,
      Instant leaseExpiresAt);

  /**
   * As {@link #claim(String, String, String, int, Instant, Instant)}, only jobs of {@code actions} (null: any): for
   * an agent that cannot read every action.
   */
  default List<Job> claim(String tenantId, String agentGroup, String agentId, int maxJobs, Instant now,
      Instant leaseExpiresAt, java.util.Set<io.ferry.protocol.Action> actions) {
    if (actions != null) {
      throw new UnsupportedOperationException("this store claims jobs of every action only");
    }
    return claim(tenantId, agentGroup, agentId, maxJobs, now, leaseExpiresAt);
  }

  /** Extends the lease if the agent holds it for this attempt and it has not lapsed. */
  LeaseRenewal renewLease(String tenantId, String jobId, String agentId, int attempt, Instant now,
      Instant leaseExpiresAt);

  /**
   * Records an agent's result: LEASED → SUCCEEDED or FAILED, if {@code attempt} is the job's current
   * attempt and the agent held the lease. A late result for a lapsed lease is still accepted while
   * the job waits in the queue for its next attempt (the work is done; nobody else holds the job).
   * The same result again is a {@link Completion#DUPLICATE}. {@code outcome} DEAD ends a job whose delivery
   * gave up for good (SQS dispatch: its message reached the dead-letter queue), under the same guards.
   */
  Completion complete(String tenantId, String jobId, String agentId, int attempt, JobState outcome,
      String resultJson, String errorJson, Instant now);

  /** LEASED jobs whose lease lapsed and that have attempts left go back to QUEUED. Returns them. */
  List<Job> requeueLapsedLeases(Instant now, int maxAttempts);

  /** LEASED jobs whose lease lapsed on their last attempt become DEAD with {@code errorJson}. Returns them. */
  List<Job> buryLapsedLeases(Instant now, int maxAttempts, String errorJson);

  /** QUEUED jobs past their deadline become EXPIRED. Returns them. */
  List<Job> expireOverdue(Instant now);

  /**
   * Tenants and groups with a job waiting in the queue (deadline not passed at {@code now}): the slow
   * safety check of several relays, in case a notification was missed.
   */
  List<QueuedGroup> queuedGroups(Instant now);

  /** Which of these jobs are in a final state: the same safety check for waiting engine requests. */
  Set<String> endedAmong(Collection<String> jobIds);

  /** A tenant and agent group (null: any agent of the tenant) with queued jobs. */
  record QueuedGroup(String tenantId, String agentGroup) {}

  /**
   * An {@code Idempotency-Key} as remembered: which request it was first used with (the fingerprint)
   * and which job that request queued.
   */
  record IdempotencyEntry(String tenantId, String key, String fingerprint, String jobId, Instant createdAt,
      Instant expiresAt) {}

  enum LeaseRenewal { RENEWED, NOT_FOUND, NOT_HELD }

  enum Completion { ACCEPTED, DUPLICATE, CONFLICT, NOT_FOUND }
}
