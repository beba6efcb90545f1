package io.ferry.relay.store;

import io.ferry.protocol.Action;
import io.ferry.relay.store.JobStore.IdempotencyEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link BatchStore} in the relay's database (SQLite or PostgreSQL), beside the jobs: a step of a batch
 * inserts its jobs in the transaction that records their ids.
 */
final class SqlBatchStore implements BatchStore {

  static final String BATCH_COLUMNS = "id, tenant_id, api_key_id, action, error_handling, state, total, "
      + "ignored_columns, traceparent, created_at, finished_at";
  private static final String STOP = "stop";
  private static final String CONTINUE = "continue";
  /**
   * How many pending records beyond the free slots a step looks at, so records whose key is in flight
   * do not hold up the ones behind them.
   */
  private static final int LOOK_AHEAD = 64;

  /**
   * With several relays, an intake younger than this may still be read by another relay; only older ones
   * are left over from a relay that stopped in the middle. The longest upload (50 MB) takes far less.
   */
  static final Duration ABANDONED_INTAKE = Duration.ofHours(1);

  private final Database db;
  private final SqlJobStore jobStore;
  private final java.util.function.Supplier<JobTransitions> transitions;

  SqlBatchStore(Database db, SqlJobStore jobStore, java.util.function.Supplier<JobTransitions> transitions) {
    this.jobStore = jobStore;
    this.db = db;
    this.transitions = transitions;
  }

  @Override
  public void beginIntake(Batch batch) {
    db.write("store batch " + batch.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer_batches (id, tenant_id, api_key_id, "
          + "action, error_handling, state, total, traceparent, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
        ps.setString(1, batch.id());
        ps.setString(2, batch.tenantId());
        ps.setString(3, batch.apiKeyId());
        ps.setString(4, batch.action().wireName());
        ps.setString(5, batch.stopOnFailure() ? STOP : CONTINUE);
        ps.setString(6, BatchState.INTAKE.name());
        ps.setString(7, batch.traceparent());
        ps.setLong(8, batch.createdAt().toEpochMilli());
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public void appendRecords(String batchId, List<BatchRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    db.write("store " + records.size() + " records of batch " + batchId, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer_batch_records (batch_id, record_index, "
          + "state, record_key, external_id, customer_number, request_json, problem_json) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (BatchRecord r : records) {
          ps.setString(1, batchId);
          ps.setInt(2, r.recordIndex());
          ps.setString(3, r.state().name());
          ps.setString(4, r.recordKey());
          ps.setString(5, r.externalId());
          ps.setString(6, r.customerNumber());
          ps.setString(7, r.requestJson());
          ps.setString(8, r.problemJson());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Optional<IdempotencyEntry> commitIntake(String batchId, int total, int pending, String ignoredColumnsJson,
      IdempotencyEntry key, Instant now) {
    return db.write("commit batch " + batchId, c -> {
      if (key != null) {
        Optional<IdempotencyEntry> earlier = SqlJobStore.claimIdempotencyKey(c, key, batchId);
        if (earlier.isPresent()) {
          return earlier;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE customer_batches SET state = ?, total = ?, "
          + "ignored_columns = ?, finished_at = ? WHERE id = ? AND state = 'INTAKE'")) {
        boolean done = pending == 0;
        ps.setString(1, (done ? BatchState.COMPLETED : BatchState.RUNNING).name());
        ps.setInt(2, total);
        ps.setString(3, ignoredColumnsJson);
        Rows.setInstant(ps, 4, done ? now : null);
        ps.setString(5, batchId);
        if (ps.executeUpdate() != 1) {
          throw new StoreException("batch " + batchId + " is not in intake any more", null);
        }
      }
      return Optional.<IdempotencyEntry>empty();
    });
  }

  @Override
  public void discardIntake(String batchId) {
    db.write("discard batch " + batchId, c -> {
      deleteIntake(c, batchId);
      return null;
    });
  }

  @Override
  public int discardUnfinishedIntakes(Instant now) {
    // One relay per SQLite file: at its start no intake can be running. Shared PostgreSQL: another relay's can.
    long before = db.dialect().shared() ? now.minus(ABANDONED_INTAKE).toEpochMilli() : Long.MAX_VALUE;
    return db.write("discard unfinished batch intakes", c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id FROM customer_batches WHERE state = 'INTAKE' AND created_at < ?")) {
        ps.setLong(1, before);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      for (String id : ids) {
        deleteIntake(c, id);
      }
      return ids.size();
    });
  }

  private static void deleteIntake(Connection c, String batchId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM customer_batch_records WHERE batch_id = ? "
        + "AND EXISTS (SELECT 1 FROM customer_batches b WHERE b.id = ? AND b.state = 'INTAKE')")) {
      ps.setString(1, batchId);
      ps.setString(2, batchId);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM customer_batches WHERE id = ? AND state = 'INTAKE'")) {
      ps.setString(1, batchId);
      ps.executeUpdate();
    }
  }

  @Override
  public Optional<Batch> findBatch(String tenantId, String batchId) {
    return db.read("read batch " + batchId, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + BATCH_COLUMNS
          + " FROM customer_batches WHERE id = ? AND tenant_id = ? AND state <> 'INTAKE'")) {
        ps.setString(1, batchId);
        ps.setString(2, tenantId);
        return batches(ps).stream().findFirst();
      }
    });
  }

  @Override
  public List<Batch> runningBatches() {
    return db.read("read running batches", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + BATCH_COLUMNS
          + " FROM customer_batches WHERE state = 'RUNNING' ORDER BY id")) {
        return batches(ps);
      }
    });
  }

  @Override
  public BatchCounts counts(String batchId) {
    return db.read("count the records of batch " + batchId, c -> {
      int total = 0;
      int queued = 0;
      int running = 0;
      int succeeded = 0;
      int failed = 0;
      int skipped = 0;
      try (PreparedStatement ps = c.prepareStatement("SELECT r.state, j.state, COUNT(*) FROM customer_batch_records r "
          + "LEFT JOIN jobs j ON j.id = r.job_id AND r.state = 'IN_FLIGHT' WHERE r.batch_id = ? "
          + "GROUP BY r.state, j.state")) {
        ps.setString(1, batchId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            int n = rs.getInt(3);
            total += n;
            switch (RecordState.valueOf(rs.getString(1))) {
              case PENDING -> queued += n;
              // A job that ended counts as running until the next step settles its record.
              case IN_FLIGHT -> {
                if (JobState.QUEUED.name().equals(rs.getString(2))) {
                  queued += n;
                } else {
                  running += n;
                }
              }
              case SUCCEEDED -> succeeded += n;
              case FAILED -> failed += n;
              case SKIPPED -> skipped += n;
            }
          }
        }
      }
      return new BatchCounts(total, queued, running, succeeded, failed, skipped);
    });
  }

  @Override
  public List<BatchRecord> records(String batchId, int afterIndex, RecordState state, int limit) {
    return db.read("read the records of batch " + batchId, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT r.record_index, r.state, r.record_key, r.external_id, "
          + "r.customer_number, r.request_json, r.job_id, j.state, r.effect, r.problem_json "
          + "FROM customer_batch_records r LEFT JOIN jobs j ON j.id = r.job_id "
          + "WHERE r.batch_id = ? AND r.record_index > ?" + (state == null ? "" : " AND r.state = ?")
          + " ORDER BY r.record_index LIMIT ?")) {
        int i = 1;
        ps.setString(i++, batchId);
        ps.setInt(i++, afterIndex);
        if (state != null) {
          ps.setString(i++, state.name());
        }
        ps.setInt(i, limit);
        List<BatchRecord> out = new ArrayList<>(Math.min(limit, 1024));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String jobState = rs.getString(8);
            out.add(new BatchRecord(rs.getInt(1), RecordState.valueOf(rs.getString(2)), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                jobState == null ? null : JobState.valueOf(jobState), rs.getString(9), rs.getString(10)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Step advance(Batch batch, int parallelism, Instant now, StepJobs jobs) {
    List<Job> queuedJobs = new ArrayList<>();
    Step step = db.write("advance batch " + batch.id(), c -> {
      queuedJobs.clear();
      String id = batch.id();
      // Several relays step the same batches: one step of a batch at a time (SQLite's single writer does
      // that by itself), and a batch another relay just ended is not stepped again.
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT state FROM customer_batches WHERE id = ?" + db.dialect().forUpdate)) {
        ps.setString(1, id);
        String current;
        try (ResultSet rs = ps.executeQuery()) {
          current = rs.next() ? rs.getString(1) : null;
        }
        if (current != null && !BatchState.RUNNING.name().equals(current)) {
          return new Step(0, 0, BatchState.valueOf(current));
        }
      }
      // 1. Settle the records whose job ended.
      List<String[]> inFlight = new ArrayList<>(); // record_index, job_id, record_key
      try (PreparedStatement ps = c.prepareStatement("SELECT record_index, job_id, record_key FROM "
          + "customer_batch_records WHERE batch_id = ? AND state = 'IN_FLIGHT' ORDER BY record_index")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            inFlight.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
          }
        }
      }
      int settled = 0;
      Set<String> busyKeys = new HashSet<>();
      for (String[] r : inFlight) {
        Job job = job(c, batch.tenantId(), r[1]);
        if (job == null || !job.state().isFinal()) {
          if (r[2] != null) {
            busyKeys.add(r[2]);
          }
          continue;
        }
        settle(c, id, Integer.parseInt(r[0]), jobs.settle(job));
        settled++;
      }
      int stillInFlight = inFlight.size() - settled;
      boolean stopping = batch.stopOnFailure() && anyFailed(c, id);

      // 2. Queue pending records into free slots, keys in flight excepted.
      int queued = 0;
      int free = parallelism - stillInFlight;
      if (!stopping && free > 0) {
        List<Object[]> candidates = new ArrayList<>(); // record_index, record_key, request_json
        try (PreparedStatement ps = c.prepareStatement("SELECT record_index, record_key, request_json FROM "
            + "customer_batch_records WHERE batch_id = ? AND state = 'PENDING' ORDER BY record_index LIMIT ?")) {
          ps.setString(1, id);
          ps.setInt(2, free + LOOK_AHEAD);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              candidates.add(new Object[] {rs.getInt(1), rs.getString(2), rs.getString(3)});
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE customer_batch_records SET state = 'IN_FLIGHT', "
            + "job_id = ? WHERE batch_id = ? AND record_index = ? AND state = 'PENDING'")) {
          for (Object[] candidate : candidates) {
            if (queued == free) {
              break;
            }
            String key = (String) candidate[1];
            // A later record with a key in flight waits, so records of one key run in their order.
            if (key != null && !busyKeys.add(key)) {
              continue;
            }
            Job job = jobs.newJob(batch, (String) candidate[2], now);
            jobStore.insertJob(c, job);
            queuedJobs.add(job);
            ps.setString(1, job.id());
            ps.setString(2, id);
            ps.setInt(3, (Integer) candidate[0]);
            if (ps.executeUpdate() != 1) {
              throw new SQLException("record " + candidate[0] + " of batch " + id + " was not pending any more");
            }
            queued++;
          }
        }
      }
      stillInFlight += queued;

      // 3. End the batch when nothing is left to run.
      BatchState state = BatchState.RUNNING;
      if (stillInFlight == 0) {
        if (stopping) {
          try (PreparedStatement ps = c.prepareStatement("UPDATE customer_batch_records SET state = 'SKIPPED' "
              + "WHERE batch_id = ? AND state = 'PENDING'")) {
            ps.setString(1, id);
            ps.executeUpdate();
          }
          state = BatchState.STOPPED;
        } else if (!anyPending(c, id)) {
          state = BatchState.COMPLETED;
        }
        if (state != BatchState.RUNNING) {
          try (PreparedStatement ps = c.prepareStatement("UPDATE customer_batches SET state = ?, finished_at = ? "
              + "WHERE id = ? AND state = 'RUNNING'")) {
            ps.setString(1, state.name());
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, id);
            ps.executeUpdate();
          }
        }
      }
      return new Step(settled, queued, state);
    });
    JobTransitions observer = transitions.get();
    for (Job job : queuedJobs) {
      observer.queued(job);
    }
    return step;
  }

  private static void settle(Connection c, String batchId, int recordIndex, Settled outcome) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE customer_batch_records SET state = ?, "
        + "customer_number = COALESCE(?, customer_number), effect = ?, problem_json = ? "
        + "WHERE batch_id = ? AND record_index = ? AND state = 'IN_FLIGHT'")) {
      ps.setString(1, (outcome.succeeded() ? RecordState.SUCCEEDED : RecordState.FAILED).name());
      ps.setString(2, outcome.customerNumber());
      ps.setString(3, outcome.effect());
      ps.setString(4, outcome.problemJson());
      ps.setString(5, batchId);
      ps.setInt(6, recordIndex);
      ps.executeUpdate();
    }
  }

  private static Job job(Connection c, String tenantId, String jobId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + Rows.JOB_COLUMNS + " FROM jobs WHERE id = ? AND tenant_id = ?")) {
      ps.setString(1, jobId);
      ps.setString(2, tenantId);
      List<Job> found = Rows.jobs(ps);
      return found.isEmpty() ? null : found.get(0);
    }
  }

  private static boolean anyFailed(Connection c, String batchId) throws SQLException {
    return exists(c, "SELECT 1 FROM customer_batch_records WHERE batch_id = ? AND state = 'FAILED' LIMIT 1", batchId);
  }

  private static boolean anyPending(Connection c, String batchId) throws SQLException {
    return exists(c, "SELECT 1 FROM customer_batch_records WHERE batch_id = ? AND state = 'PENDING' LIMIT 1", batchId);
  }

  private static boolean exists(Connection c, String sql, String batchId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, batchId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The batches of rows read from {@link #BATCH_COLUMNS}, here and in the administrators' listing. */
  static List<Batch> batches(PreparedStatement ps) throws SQLException {
    List<Batch> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Batch(
            rs.getString(1),
            rs.getString(2),
            rs.getString(3),
            Action.fromWireName(rs.getString(4)),
            STOP.equals(rs.getString(5)),
            BatchState.valueOf(rs.getString(6)),
            rs.getInt(7),
            rs.getString(8),
            rs.getString(9),
            Rows.instant(rs, 10),
            Rows.instant(rs, 11)));
      }
    }
    return out;
  }
}
