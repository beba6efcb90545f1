package io.ferry.relay.store;

import static io.ferry.relay.store.Rows.JOB_COLUMNS;
import static io.ferry.relay.store.Rows.instant;
import static io.ferry.relay.store.Rows.job;
import static io.ferry.relay.store.SqlAuditStore.audit;

import io.ferry.protocol.Action;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link JobAdminStore} in the relay's database. A cancel or a retry writes what ending or queueing a job writes
 * anywhere (the audit event, the callback, the notice to other relays), with the job queue's own statements, in
 * its one transaction.
 */
final class SqlJobAdminStore implements JobAdminStore {

  private static final String ENTRY_COLUMNS = JOB_COLUMNS + ", COALESCE(updated_at, finished_at, created_at), retry_of";

  private final Database db;
  private final SqlJobStore jobs;
  private final SqlCallbackStore callbacks;

  SqlJobAdminStore(Database db, SqlJobStore jobs, SqlCallbackStore callbacks) {
    this.db = db;
    this.jobs = jobs;
    this.callbacks = callbacks;
  }

  @Override
  public List<JobEntry> jobs(String tenantId, JobState state, Action action, String beforeId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + ENTRY_COLUMNS + " FROM jobs WHERE tenant_id = ?");
    List<Object> args = new ArrayList<>();
    args.add(tenantId);
    if (state != null) {
      sql.append(" AND state = ?");
      args.add(state.name());
    }
    if (action != null) {
      sql.append(" AND action = ?");
      args.add(action.wireName());
    }
    if (beforeId != null) {
      sql.append(" AND id < ?");
      args.add(beforeId);
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(limit);
    return db.read("list jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        return entries(ps);
      }
    });
  }

  @Override
  public Optional<JobEntry> jobEntry(String tenantId, String jobId) {
    return db.read("read job " + jobId, c -> entry(c, tenantId, jobId));
  }

  private static Optional<JobEntry> entry(Connection c, String tenantId, String jobId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + ENTRY_COLUMNS + " FROM jobs WHERE id = ? AND tenant_id = ?")) {
      ps.setString(1, jobId);
      ps.setString(2, tenantId);
      return entries(ps).stream().findFirst();
    }
  }

  private static List<JobEntry> entries(PreparedStatement ps) throws SQLException {
    List<JobEntry> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Job job = job(rs);
        out.add(new JobEntry(job, instant(rs, 18), rs.getString(19)));
      }
    }
    return out;
  }

  @Override
  public Change cancel(String tenantId, String jobId, String actor, Instant now) {
    boolean[] callback = {false};
    Change change = db.write("cancel job " + jobId, c -> {
      callback[0] = false;
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE jobs SET state = 'CANCELLED', finished_at = ?, updated_at = ? "
              + "WHERE id = ? AND tenant_id = ? AND state = 'QUEUED' AND attempt = 0")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setLong(2, now.toEpochMilli());
        ps.setString(3, jobId);
        ps.setString(4, tenantId);
        boolean done = ps.executeUpdate() == 1;
        if (done) {
          callback[0] = callbacks.schedule(c, jobId, now);
          audit(c, AuditEvent.of(now, tenantId, actor, "job.ended", jobId, JobState.CANCELLED.name(),
              "cancelled by an administrator"));
          jobs.notifyEnded(c, jobId);
        }
        return new Change(done, entry(c, tenantId, jobId).map(JobEntry::job).orElse(null));
      }
    });
    if (callback[0]) {
      callbacks.deliveryScheduled();
    }
    if (change.done() && change.job() != null) {
      jobs.endedBy(change.job(), JobState.CANCELLED, now); // the metrics count every end, not only agents' results
    }
    return change;
  }

  @Override
  public Change retry(String tenantId, String jobId, Job retry) {
    if (!retry.tenantId().equals(tenantId) || retry.state() != JobState.QUEUED) {
      throw new IllegalArgumentException("a retry is a QUEUED job of the same tenant");
    }
    Change change = db.write("retry job " + jobId, c -> {
      Optional<JobEntry> old = entry(c, tenantId, jobId);
      if (old.isEmpty() || !old.get().job().state().isRetryable() || retried(c, jobId)) {
        return new Change(false, old.map(JobEntry::job).orElse(null));
      }
      // The unique index on retry_of (V9) refuses a second retry that raced this one on another relay.
      jobs.insertJob(c, retry, jobId);
      return new Change(true, retry);
    });
    if (change.done()) {
      jobs.inserted(retry);
    }
    return change;
  }

  /** Whether the job was retried already: once only, or one failed create could become two customers. */
  private static boolean retried(Connection c, String jobId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM jobs WHERE retry_of = ?")) {
      ps.setString(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public List<Batch> batches(String tenantId, String beforeId, int limit) {
    return db.read("list batches", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + SqlBatchStore.BATCH_COLUMNS
          + " FROM customer_batches WHERE tenant_id = ? AND state <> 'INTAKE'"
          + (beforeId == null ? "" : " AND id < ?") + " ORDER BY id DESC LIMIT ?")) {
        int i = 1;
        ps.setString(i++, tenantId);
        if (beforeId != null) {
          ps.setString(i++, beforeId);
        }
        ps.setInt(i, limit);
        return SqlBatchStore.batches(ps);
      }
    });
  }
}
