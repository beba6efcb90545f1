package io.ferry.relay.store;

import io.ferry.protocol.Action;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a tenant's administrator reads and does to jobs and batches. Every method takes the tenant and
 * sees nothing of another: a job or batch of another tenant is absent. Kept apart from {@link JobStore}
 * (the dispatch path) so a store can serve dispatch without it.
 */
public interface JobAdminStore {

  /**
   * The tenant's jobs, newest first, older than the job {@code beforeId} (the cursor; null for the first
   * page), only those in {@code state} and of {@code action} when not null; at most {@code limit}.
   */
  List<JobEntry> jobs(String tenantId, JobState state, Action action, String beforeId, int limit);

  /** The job with its administration columns, if it exists and belongs to the tenant. */
  Optional<JobEntry> jobEntry(String tenantId, String jobId);

  /**
   * QUEUED → CANCELLED in one transaction, for a job no agent ever took (attempt 0): a requeued job's
   * earlier agent may still be writing to SAP. The audit event {@code job.ended} names {@code actor}; a
   * callback is scheduled as for any end.
   */
  Change cancel(String tenantId, String jobId, String actor, Instant now);

  /**
   * Inserts {@code retry} (a QUEUED job of the same tenant) with {@code retry_of} naming {@code jobId}, in
   * one transaction with the check that {@code jobId} ended {@link JobState#isRetryable() retryably}. The
   * old job is not changed.
   */
  Change retry(String tenantId, String jobId, Job retry);

  /** The tenant's batches (intake excluded), newest first, older than {@code beforeId}; at most {@code limit}. */
  List<Batch> batches(String tenantId, String beforeId, int limit);

  /**
   * A job as an administrator sees it.
   *
   * @param updatedAt when its state last changed
   * @param retryOf the job this one retries; null for a job an engine asked for
   */
  record JobEntry(Job job, Instant updatedAt, String retryOf) {}

  /**
   * What a cancel or retry did: {@code done}, or not because the job is absent ({@code job} null) or in a
   * state that does not allow it ({@code job} as it is).
   */
  record Change(boolean done, Job job) {}
}
