package io.ferry.relay.store;

import static io.ferry.relay.store.Rows.JOB_COLUMNS;
import static io.ferry.relay.store.Rows.instant;
import static io.ferry.relay.store.Rows.jobs;
import static io.ferry.relay.store.SqlAuditStore.RELAY;
import static io.ferry.relay.store.SqlAuditStore.audit;

import io.ferry.protocol.Action;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link JobStore} in the relay's database. Each state change writes, in its own transaction, what goes with
 * it: the audit event, the callback delivery of a job that ended, the notice to other relays sharing the
 * database; the metrics hear of it after the commit.
 */
final class SqlJobStore implements JobStore {

  /** Bounds one reaper transaction; the next run takes the rest. */
  private static final int REAP_BATCH = 500;
  /** Bounds one IN list of {@link #endedAmong}. */
  private static final int IN_BATCH = 200;

  private final Database db;
  private final Dialect dialect;
  /** Names this relay in its notifications, so it does not wake its own waiters twice. */
  private final String instanceId;
  private final Supplier<JobTransitions> transitions;
  private final SqlCallbackStore callbacks;

  SqlJobStore(Database db, String instanceId, Supplier<JobTransitions> transitions, SqlCallbackStore callbacks) {
    this.db = db;
    this.dialect = db.dialect();
    this.instanceId = instanceId;
    this.transitions = transitions;
    this.callbacks = callbacks;
  }

  @Override
  public void insert(Job job) {
    db.write("queue job " + job.id(), c -> {
      insertJob(c, job);
      return null;
    });
    inserted(job);
  }

  /** Tells the observer of a job committed as new (queued, or leased on arrival). */
  void inserted(Job job) {
    transitions.get().queued(job);
    if (job.state() == JobState.LEASED) {
      transitions.get().leased(job, job.createdAt());
    }
  }

  /** Tells the observer of a job committed as ended outside an agent's result (an administrator's cancel). */
  void endedBy(Job job, JobState state, Instant now) {
    transitions.get().ended(job.action(), state, job.createdAt(), now);
  }

  @Override
  public Optional<IdempotencyEntry> insert(Job job, IdempotencyEntry key) {
    Optional<IdempotencyEntry> earlier = db.write("queue job " + job.id() + " under an idempotency key", c -> {
      Optional<IdempotencyEntry> found = claimIdempotencyKey(c, key, job.id());
      if (found.isPresent()) {
        return found;
      }
      insertJob(c, job);
      return Optional.<IdempotencyEntry>empty();
    });
    if (earlier.isEmpty()) {
      inserted(job);
    }
    return earlier;
  }

  @Override
  public Optional<IdempotencyEntry> findIdempotencyKey(String tenantId, String key, Instant now) {
    return db.read("read idempotency key", c -> idempotencyEntry(c, tenantId, key, now));
  }

  @Override
  public int purgeIdempotencyKeys(Instant now) {
    return db.write("purge expired idempotency keys", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_keys WHERE expires_at <= ?")) {
        ps.setLong(1, now.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }

  /**
   * Claims an idempotency key for {@code targetId} (a job, or a batch) inside the caller's transaction.
   * An expired row counts as absent. The primary key decides between two identical requests: the loser
   * inserts nothing and gets the winner's entry back; empty means this transaction holds the key.
   */
  static Optional<IdempotencyEntry> claimIdempotencyKey(Connection c, IdempotencyEntry key, String targetId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM idempotency_keys WHERE tenant_id = ? AND idem_key = ? AND expires_at <= ?")) {
      ps.setString(1, key.tenantId());
      ps.setString(2, key.key());
      ps.setLong(3, key.createdAt().toEpochMilli());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO idempotency_keys (tenant_id, idem_key, fingerprint, job_id, created_at, expires_at) "
            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, idem_key) DO NOTHING")) {
      ps.setString(1, key.tenantId());
      ps.setString(2, key.key());
      ps.setString(3, key.fingerprint());
      ps.setString(4, targetId);
      ps.setLong(5, key.createdAt().toEpochMilli());
      ps.setLong(6, key.expiresAt().toEpochMilli());
      if (ps.executeUpdate() == 0) {
        return idempotencyEntry(c, key.tenantId(), key.key(), key.createdAt());
      }
    }
    return Optional.empty();
  }

  private static Optional<IdempotencyEntry> idempotencyEntry(Connection c, String tenantId, String key, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT fingerprint, job_id, created_at, expires_at FROM idempotency_keys "
            + "WHERE tenant_id = ? AND idem_key = ? AND expires_at > ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, key);
      ps.setLong(3, now.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new IdempotencyEntry(tenantId, key, rs.getString(1), rs.getString(2), instant(rs, 3),
            instant(rs, 4)));
      }
    }
  }

  void insertJob(Connection c, Job job) throws SQLException {
    insertJob(c, job, null);
  }

  /**
   * Inserts the job, queued or leased on arrival; {@code retryOf} names the job an administrator retried with
   * it (null for none).
   */
  void insertJob(Connection c, Job job, String retryOf) throws SQLException {
    if (job.state() != JobState.QUEUED && job.state() != JobState.LEASED) {
      throw new IllegalArgumentException("a new job is QUEUED or leased on arrival, not " + job.state());
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO jobs (id, tenant_id, agent_group, action, state, attempt, request_json, traceparent, "
            + "created_at, deadline, api_key_id, callback_url, updated_at, retry_of, lease_expires_at, leased_by) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, job.id());
      ps.setString(2, job.tenantId());
      ps.setString(3, job.agentGroup());
      ps.setString(4, job.action().wireName());
      ps.setString(5, job.state().name());
      ps.setInt(6, job.attempt());
      ps.setString(7, job.requestJson());
      ps.setString(8, job.traceparent());
      ps.setLong(9, job.createdAt().toEpochMilli());
      ps.setLong(10, job.deadline().toEpochMilli());
      ps.setString(11, job.apiKeyId());
      ps.setString(12, job.callbackUrl());
      ps.setLong(13, job.createdAt().toEpochMilli());
      ps.setString(14, retryOf);
      if (job.leaseExpiresAt() == null) {
        ps.setNull(15, java.sql.Types.BIGINT);
      } else {
        ps.setLong(15, job.leaseExpiresAt().toEpochMilli());
      }
      ps.setString(16, job.leasedBy());
      ps.executeUpdate();
    }
    audit(c, AuditEvent.of(job.createdAt(), job.tenantId(), job.apiKeyId() == null ? RELAY : job.apiKeyId(),
        "job.accepted", job.id(), job.state().name(),
        job.action().wireName() + GenericSubject.of(job.action(), job.requestJson())
            + (job.agentGroup() == null ? "" : " for group " + job.agentGroup())
            + (retryOf == null ? "" : ", retry of " + retryOf)));
    if (job.state() == JobState.QUEUED) {
      notifyQueued(c, job); // a job leased on arrival is no other relay's business
    }
  }

  /** Other relays wake a poll of the tenant for the job (PostgreSQL; at commit). */
  private void notifyQueued(Connection c, Job job) throws SQLException {
    dialect.notify(c, Dialect.QUEUED_CHANNEL, PgNotifications.queuedPayload(instanceId, job.tenantId(), job.agentGroup()));
  }

  /** Other relays answer an engine request waiting for the job (PostgreSQL; at commit). */
  void notifyEnded(Connection c, String jobId) throws SQLException {
    dialect.notify(c, Dialect.ENDED_CHANNEL, PgNotifications.endedPayload(instanceId, jobId));
  }

  @Override
  public Optional<Job> find(String tenantId, String jobId) {
    return db.read("read job " + jobId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + JOB_COLUMNS + " FROM jobs WHERE id = ? AND tenant_id = ?")) {
        ps.setString(1, jobId);
        ps.setString(2, tenantId);
        List<Job> jobs = jobs(ps);
        return jobs.stream().findFirst();
      }
    });
  }

  @Override
  public List<Job> claim(String tenantId, String agentGroup, String agentId, int maxJobs, Instant now,
      Instant leaseExpiresAt) {
    return claim(tenantId, agentGroup, agentId, maxJobs, now, leaseExpiresAt, null);
  }

  @Override
  public List<Job> claim(String tenantId, String agentGroup, String agentId, int maxJobs, Instant now,
      Instant leaseExpiresAt, java.util.Set<Action> actions) {
    String only = actionFilter(actions);
    List<Job> leased = dialect == Dialect.POSTGRES
        ? claimInOneStatement(tenantId, agentGroup, agentId, maxJobs, now, leaseExpiresAt, only)
        : lookThenClaim(tenantId, agentGroup, agentId, maxJobs, now, leaseExpiresAt, only);
    for (Job j : leased) {
      transitions.get().leased(j, now);
    }
    return leased;
  }

  /**
   * PostgreSQL: the claim is one autocommitted UPDATE … RETURNING, one round trip to the server. A job's
   * pickup waits for the claim, and each round trip (a look, a SELECT, an UPDATE per job, a COMMIT, as
   * SQLite does it) costs a context switch on both sides. Writers run side by side there, so there is no
   * single writer to keep free with a look first, and a claim that finds nothing writes no WAL and waits
   * for no disk.
   */
  /**
   * {@code " AND action IN ('customer.create', …)"} for an agent that reads only {@code actions}; empty for one that
   * reads every action, so the claim of a current agent is the statement it always was. The names are the enum's
   * own wire names, never a caller's text.
   */
  private static String actionFilter(java.util.Set<Action> actions) {
    if (actions == null) {
      return "";
    }
    if (actions.isEmpty()) {
      return " AND 1 = 0";
    }
    return actions.stream().sorted().map(a -> "'" + a.wireName() + "'")
        .collect(java.util.stream.Collectors.joining(", ", " AND action IN (", ")"));
  }

  private List<Job> claimInOneStatement(String tenantId, String agentGroup, String agentId, int maxJobs,
      Instant now, Instant leaseExpiresAt, String only) {
    List<Job> claimed = db.writeStatement("claim jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          // MATERIALIZED: picked once. As "id IN (SELECT … LIMIT …)" the planner may rescan the pick while
          // updating, and a rescan skips the rows just leased and takes the next ones: more than maxJobs.
          "WITH picked AS MATERIALIZED (SELECT id FROM jobs WHERE tenant_id = ? AND state = 'QUEUED' "
              + "AND (agent_group IS NULL OR agent_group = ?) AND deadline > ?" + only + " ORDER BY id LIMIT ?"
              + dialect.skipLocked + ") "
              + "UPDATE jobs SET state = 'LEASED', attempt = attempt + 1, lease_expires_at = ?, leased_by = ?, "
              + "updated_at = ? FROM picked WHERE jobs.id = picked.id AND jobs.state = 'QUEUED' RETURNING "
              + qualified("jobs", JOB_COLUMNS))) {
        ps.setString(1, tenantId);
        ps.setString(2, agentGroup);
        ps.setLong(3, now.toEpochMilli());
        ps.setInt(4, maxJobs);
        ps.setLong(5, leaseExpiresAt.toEpochMilli());
        ps.setString(6, agentId);
        ps.setLong(7, now.toEpochMilli());
        return jobs(ps);
      }
    });
    // RETURNING follows no order; the oldest job first, as the SELECT … ORDER BY id chose them.
    return claimed.stream().sorted(java.util.Comparator.comparing(Job::id)).toList();
  }

  /** {@code columns} (comma-separated) each prefixed with {@code table}: "id, state" → "jobs.id, jobs.state". */
  private static String qualified(String table, String columns) {
    return java.util.Arrays.stream(columns.split(",\\s*")).map(col -> table + "." + col)
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private List<Job> lookThenClaim(String tenantId, String agentGroup, String agentId, int maxJobs, Instant now,
      Instant leaseExpiresAt, String only) {
    // Most polls find nothing: answer those from a reading connection and keep the single writer free.
    // A job queued right after this look wakes the poll, which then claims again.
    boolean anyQueued = db.read("look for queued jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM jobs WHERE tenant_id = ? AND state = 'QUEUED' "
              + "AND (agent_group IS NULL OR agent_group = ?) AND deadline > ?" + only + " LIMIT 1")) {
        ps.setString(1, tenantId);
        ps.setString(2, agentGroup);
        ps.setLong(3, now.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
    if (!anyQueued) {
      return List.of();
    }
    return db.write("claim jobs", c -> {
      List<Job> candidates;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + JOB_COLUMNS + " FROM jobs WHERE tenant_id = ? AND state = 'QUEUED' "
              + "AND (agent_group IS NULL OR agent_group = ?) AND deadline > ?" + only + " ORDER BY id LIMIT ?"
              + dialect.skipLocked)) {
        ps.setString(1, tenantId);
        ps.setString(2, agentGroup);
        ps.setLong(3, now.toEpochMilli());
        ps.setInt(4, maxJobs);
        candidates = jobs(ps);
      }
      List<Job> claimed = new ArrayList<>(candidates.size());
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE jobs SET state = 'LEASED', attempt = attempt + 1, lease_expires_at = ?, leased_by = ?, "
              + "updated_at = ? WHERE id = ? AND state = 'QUEUED'")) {
        for (Job j : candidates) {
          ps.setLong(1, leaseExpiresAt.toEpochMilli());
          ps.setString(2, agentId);
          ps.setLong(3, now.toEpochMilli());
          ps.setString(4, j.id());
          if (ps.executeUpdate() == 1) {
            claimed.add(j.withState(JobState.LEASED, j.attempt() + 1, j.errorJson(), leaseExpiresAt, agentId, null));
          }
        }
      }
      return claimed;
    });
  }

  @Override
  public LeaseRenewal renewLease(String tenantId, String jobId, String agentId, int attempt, Instant now,
      Instant leaseExpiresAt) {
    return db.write("renew the lease of job " + jobId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND tenant_id = ? AND state = 'LEASED' "
              + "AND attempt = ? AND leased_by = ? AND lease_expires_at > ?")) {
        ps.setLong(1, leaseExpiresAt.toEpochMilli());
        ps.setString(2, jobId);
        ps.setString(3, tenantId);
        ps.setInt(4, attempt);
        ps.setString(5, agentId);
        ps.setLong(6, now.toEpochMilli());
        if (ps.executeUpdate() == 1) {
          return LeaseRenewal.RENEWED;
        }
      }
      return exists(c, tenantId, jobId) ? LeaseRenewal.NOT_HELD : LeaseRenewal.NOT_FOUND;
    });
  }

  @Override
  public Completion complete(String tenantId, String jobId, String agentId, int attempt, JobState outcome,
      String resultJson, String errorJson, Instant now) {
    if (outcome != JobState.SUCCEEDED && outcome != JobState.FAILED && outcome != JobState.DEAD) {
      throw new IllegalArgumentException("a job ends SUCCEEDED or FAILED (an agent's result) or DEAD, not " + outcome);
    }
    Action[] action = {null};
    Instant[] createdAt = {null};
    boolean[] callback = {false};
    String[] generic = {""};
    Completion completion = db.write("record the result of job " + jobId, c -> {
      action[0] = null;
      callback[0] = false;
      generic[0] = "";
      // RETURNING (SQLite 3.35+, PostgreSQL): the metrics learn the job's action and age, and whether a
      // callback is to be scheduled, without a query.
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE jobs SET state = ?, result_json = ?, error_json = ?, finished_at = ?, updated_at = ?, "
              + "lease_expires_at = NULL "
              + "WHERE id = ? AND tenant_id = ? AND attempt = ? AND leased_by = ? AND state IN ('LEASED', 'QUEUED') "
              // A generic job's request (what it called, for the audit log); other jobs' requests are not read back.
              + "RETURNING action, created_at, callback_url IS NOT NULL, api_key_id, "
              + "CASE WHEN action IN ('function.call', 'function.describe', 'odata.read', 'odata.write') "
              + "THEN request_json END")) {
        ps.setString(1, outcome.name());
        ps.setString(2, resultJson);
        ps.setString(3, errorJson);
        ps.setLong(4, now.toEpochMilli());
        ps.setLong(5, now.toEpochMilli());
        ps.setString(6, jobId);
        ps.setString(7, tenantId);
        ps.setInt(8, attempt);
        ps.setString(9, agentId);
        boolean updated;
        try (ResultSet rs = ps.executeQuery()) {
          updated = rs.next();
          if (updated) {
            action[0] = Action.fromWireName(rs.getString(1));
            createdAt[0] = instant(rs, 2);
            callback[0] = rs.getBoolean(3);
            generic[0] = GenericSubject.ended(action[0], rs.getString(5), rs.getString(4));
          }
        }
        if (updated) {
          if (callback[0]) {
            callbacks.schedule(c, jobId, now);
          }
          audit(c, outcome == JobState.DEAD
              // Not an agent's result: the relay ended the job because its delivery gave up (SQS dead letters).
              ? AuditEvent.of(now, tenantId, RELAY, "job.ended", jobId, outcome.name(),
                  "its delivery gave up (attempt " + attempt + ", held by " + agentId + ")" + generic[0])
              : AuditEvent.of(now, tenantId, agentId, "job.ended", jobId, outcome.name(), "attempt " + attempt
                  + generic[0]));
          notifyEnded(c, jobId);
          return Completion.ACCEPTED;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT state, attempt, result_json, error_json FROM jobs WHERE id = ? AND tenant_id = ?")) {
        ps.setString(1, jobId);
        ps.setString(2, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Completion.NOT_FOUND;
          }
          boolean same = rs.getString(1).equals(outcome.name())
              && rs.getInt(2) == attempt
              && Objects.equals(rs.getString(3), resultJson)
              && Objects.equals(rs.getString(4), errorJson);
          return same ? Completion.DUPLICATE : Completion.CONFLICT;
        }
      }
    });
    if (completion == Completion.ACCEPTED && action[0] != null) {
      transitions.get().ended(action[0], outcome, createdAt[0], now);
    }
    if (completion == Completion.ACCEPTED && callback[0]) {
      callbacks.deliveryScheduled();
    }
    return completion;
  }

  @Override
  public List<Job> requeueLapsedLeases(Instant now, int maxAttempts) {
    List<Job> out = db.write("requeue lapsed leases", c -> {
      List<Job> lapsed = select(c, LAPSED_WITH_ATTEMPTS_LEFT, "lease_expires_at",
          now.toEpochMilli(), maxAttempts);
      List<Job> requeued = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE jobs SET state = 'QUEUED', lease_expires_at = NULL, updated_at = ? "
              + "WHERE id = ? AND state = 'LEASED' AND lease_expires_at <= ?")) {
        for (Job j : lapsed) {
          ps.setLong(1, now.toEpochMilli());
          ps.setString(2, j.id());
          ps.setLong(3, now.toEpochMilli());
          if (ps.executeUpdate() == 1) {
            notifyQueued(c, j);
            requeued.add(withState(j, JobState.QUEUED, null, null));
          }
        }
      }
      return requeued;
    });
    for (Job j : out) {
      transitions.get().requeued(j);
    }
    return out;
  }

  @Override
  public List<Job> buryLapsedLeases(Instant now, int maxAttempts, String errorJson) {
    List<Job> out = db.write("bury jobs out of attempts", c -> {
      List<Job> lapsed = select(c, LAPSED_ON_LAST_ATTEMPT, "lease_expires_at",
          now.toEpochMilli(), maxAttempts);
      List<Job> dead = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE jobs SET state = 'DEAD', error_json = ?, finished_at = ?, updated_at = ?, lease_expires_at = NULL "
              + "WHERE id = ? AND state = 'LEASED' AND lease_expires_at <= ?")) {
        for (Job j : lapsed) {
          ps.setString(1, errorJson);
          ps.setLong(2, now.toEpochMilli());
          ps.setLong(3, now.toEpochMilli());
          ps.setString(4, j.id());
          ps.setLong(5, now.toEpochMilli());
          if (ps.executeUpdate() == 1) {
            if (j.callbackUrl() != null) {
              callbacks.schedule(c, j.id(), now);
            }
            audit(c, AuditEvent.of(now, j.tenantId(), RELAY, "job.ended", j.id(), JobState.DEAD.name(),
                "every lease lapsed without a result (attempt " + j.attempt() + ")"
                    + GenericSubject.ended(j.action(), j.requestJson(), j.apiKeyId())));
            notifyEnded(c, j.id());
            dead.add(withState(j, JobState.DEAD, errorJson, now));
          }
        }
      }
      return dead;
    });
    for (Job j : out) {
      transitions.get().ended(j.action(), JobState.DEAD, j.createdAt(), now);
    }
    callbacks.deliveriesScheduled(out);
    return out;
  }

  @Override
  public List<Job> expireOverdue(Instant now) {
    List<Job> out = db.write("expire overdue jobs", c -> {
      List<Job> overdue = select(c, OVERDUE, "deadline", now.toEpochMilli());
      List<Job> expired = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE jobs SET state = 'EXPIRED', finished_at = ?, updated_at = ? "
              + "WHERE id = ? AND state = 'QUEUED' AND deadline <= ?")) {
        for (Job j : overdue) {
          ps.setLong(1, now.toEpochMilli());
          ps.setLong(2, now.toEpochMilli());
          ps.setString(3, j.id());
          ps.setLong(4, now.toEpochMilli());
          if (ps.executeUpdate() == 1) {
            if (j.callbackUrl() != null) {
              callbacks.schedule(c, j.id(), now);
            }
            audit(c, AuditEvent.of(now, j.tenantId(), RELAY, "job.ended", j.id(), JobState.EXPIRED.name(),
                "no agent took it before its deadline"
                    + GenericSubject.ended(j.action(), j.requestJson(), j.apiKeyId())));
            notifyEnded(c, j.id());
            expired.add(withState(j, JobState.EXPIRED, j.errorJson(), now));
          }
        }
      }
      return expired;
    });
    for (Job j : out) {
      transitions.get().ended(j.action(), JobState.EXPIRED, j.createdAt(), now);
    }
    callbacks.deliveriesScheduled(out);
    return out;
  }

  @Override
  public List<QueuedGroup> queuedGroups(Instant now) {
    return db.read("look for queued jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT DISTINCT tenant_id, agent_group FROM jobs WHERE state = 'QUEUED' AND deadline > ?")) {
        ps.setLong(1, now.toEpochMilli());
        List<QueuedGroup> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new QueuedGroup(rs.getString(1), rs.getString(2)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public Set<String> endedAmong(Collection<String> jobIds) {
    List<String> ids = List.copyOf(jobIds);
    Set<String> ended = new HashSet<>();
    for (int from = 0; from < ids.size(); from += IN_BATCH) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_BATCH));
      String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
      db.read("look for ended jobs", c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE id IN (" + marks + ") "
            + "AND state IN ('SUCCEEDED', 'FAILED', 'EXPIRED', 'DEAD', 'CANCELLED')")) {
          for (int i = 0; i < chunk.size(); i++) {
            ps.setString(i + 1, chunk.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ended.add(rs.getString(1));
            }
          }
        }
        return null;
      });
    }
    return ended;
  }

  private static boolean exists(Connection c, String tenantId, String jobId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM jobs WHERE id = ? AND tenant_id = ?")) {
      ps.setString(1, jobId);
      ps.setString(2, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The reaper's candidates: LEASED jobs whose lease lapsed, with attempts left (params: now, max attempts). */
  static final String LAPSED_WITH_ATTEMPTS_LEFT = "state = 'LEASED' AND lease_expires_at <= ? AND attempt < ?";
  /** LEASED jobs whose lease lapsed on their last attempt (params: now, max attempts). */
  static final String LAPSED_ON_LAST_ATTEMPT = "state = 'LEASED' AND lease_expires_at <= ? AND attempt >= ?";
  /** QUEUED jobs past their deadline (param: now). */
  static final String OVERDUE = "state = 'QUEUED' AND deadline <= ?";

  /** The reaper's candidates; with several relays, rows another relay's reaper holds are left to it. */
  private List<Job> select(Connection c, String where, String indexColumn, long... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(reaperQuery(where, indexColumn, dialect.skipLocked))) {
      for (int i = 0; i < params.length; i++) {
        ps.setLong(i + 1, params[i]);
      }
      return jobs(ps);
    }
  }

  /**
   * A reaper query, in the order of {@code indexColumn}, the column of the state's partial index: that order is
   * the index's own, so the query reads the few rows the index holds. Ordered by id instead, SQLite's planner
   * walked the whole table in id order (every job it keeps, three queries every second) to spare a sort.
   */
  static String reaperQuery(String where, String indexColumn, String skipLocked) {
    return "SELECT " + JOB_COLUMNS + " FROM jobs WHERE " + where + " ORDER BY " + indexColumn + " LIMIT " + REAP_BATCH
        + skipLocked;
  }

  private static Job withState(Job j, JobState state, String errorJson, Instant finishedAt) {
    return j.withState(state, j.attempt(), errorJson, null, j.leasedBy(), finishedAt);
  }
}
