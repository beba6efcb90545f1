package io.ferry.relay.store;

import io.ferry.relay.store.JobStore.IdempotencyEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Customer batches and their records. A batch is written while its body is read, in chunks
 * ({@link #appendRecords}), and becomes visible with {@link #commitIntake}; from then on only
 * {@link #advance} changes it, one transaction per step. Every method returns after its transaction
 * committed.
 */
public interface BatchStore {

  /** Inserts a batch in state INTAKE (see {@link Batch#intake}). */
  void beginIntake(Batch batch);

  /** Appends records to a batch in intake, in one transaction. */
  void appendRecords(String batchId, List<BatchRecord> records);

  /**
   * Makes a batch in intake visible, in one transaction: RUNNING when {@code pending} records wait to
   * run, else COMPLETED at once. With an idempotency key (not null) the key is stored with the batch id as
   * its {@code jobId}, unless a live entry for the tenant and key exists: then nothing is written and that
   * entry is returned (the caller discards this intake).
   */
  Optional<IdempotencyEntry> commitIntake(String batchId, int total, int pending, String ignoredColumnsJson,
      IdempotencyEntry key, Instant now);

  /** Deletes a batch still in intake and its records (its engine never heard of it). */
  void discardIntake(String batchId);

  /**
   * Deletes the batches left in intake by a relay that stopped while reading them: at start. With one relay
   * (SQLite) that is every batch in intake; with several sharing PostgreSQL, those in intake for over an
   * hour (a younger one may be another relay's upload in progress). Returns how many.
   */
  int discardUnfinishedIntakes(Instant now);

  /** The batch, if it exists, is visible (not in intake) and belongs to the tenant. */
  Optional<Batch> findBatch(String tenantId, String batchId);

  /** Batches in state RUNNING, oldest first. */
  List<Batch> runningBatches();

  BatchCounts counts(String batchId);

  /**
   * Records of the batch after {@code afterIndex} in index order, at most {@code limit}; only those in
   * {@code state} when it is not null. In-flight records carry their job's state.
   */
  List<BatchRecord> records(String batchId, int afterIndex, RecordState state, int limit);

  /**
   * One step of a running batch, in one transaction: records whose job ended are settled (through
   * {@code jobs.settle}); unless a failure stops the batch, pending records get jobs, oldest first, while
   * fewer than {@code parallelism} are in flight and no record in flight has the same key; the batch ends
   * COMPLETED when no record is pending or in flight, or STOPPED (pending records SKIPPED) when
   * {@link Batch#stopOnFailure()} and a record failed and none is in flight any more. Each new job is
   * inserted in the same transaction that stores its id with the record.
   */
  Step advance(Batch batch, int parallelism, Instant now, StepJobs jobs);

  /** What a step needs from outside the store: new jobs, and the outcome of ended ones. */
  interface StepJobs {
    /** A QUEUED job for a record's {@code requestJson}. */
    Job newJob(Batch batch, String requestJson, Instant now);

    /** What the record of {@code ended} (a job in a final state) becomes. */
    Settled settle(Job ended);
  }

  /** A record's end: SUCCEEDED with SAP's customer number (and an upsert's effect), or FAILED with its problem. */
  record Settled(boolean succeeded, String customerNumber, String effect, String problemJson) {}

  /**
   * @param settled records whose job had ended
   * @param queued jobs inserted now (wake as many polls of the tenant)
   * @param state the batch's state afterwards
   */
  record Step(int settled, int queued, BatchState state) {}
}
