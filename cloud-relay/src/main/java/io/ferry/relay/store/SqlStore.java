package io.ferry.relay.store;

import static io.ferry.relay.store.Rows.JOB_COLUMNS;
import static io.ferry.relay.store.Rows.instant;
import static io.ferry.relay.store.Rows.job;
import static io.ferry.relay.store.Rows.setInstant;

import io.ferry.protocol.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;
import org.flywaydb.core.Flyway;

/**
 * The relay's store on SQLite (embedded: one file, {@code <dataDir>/relay.db}, one relay) or on
 * PostgreSQL (several relays share it). Both run the same migrations and the same statements; the
 * few words they say differently are in {@link Dialect}. Migrated by Flyway at open.
 */
public final class SqlStore implements RelayStore {

  public static final String FILE_NAME = "relay.db";
  private static final String MIGRATIONS = "classpath:db/migration/relay";
  /** Bounds one reaper transaction; the next run takes the rest. */
  private static final int REAP_BATCH = 500;
  /** Bounds one IN list of {@link #endedAmong}. */
  private static final int IN_BATCH = 200;
  /**
   * With several relays, a callback taken by one of them is not due for the others for this long: the
   * taker delivers it (or records why not) well within it, and if the taker died, another one retries.
   */
  private static final Duration CALLBACK_TAKEN_FOR = Duration.ofMinutes(1);

  private final Database db;
  private final Dialect dialect;
  private final SqlBatchStore batches;
  /** Names this relay in its notifications, so it does not wake its own waiters twice. */
  private final String instanceId = Ulid.next();
  private final StoreSettings settings;
  private volatile PgNotifications listener;
  private volatile JobTransitions transitions = JobTransitions.NONE;
  /** Told after a commit that scheduled a callback delivery: the sender (see {@link #onDeliveryScheduled}). */
  private volatile Runnable deliveryScheduled = () -> { };
  /** API keys and agents as authentication reads them: no database read per request. */
  private final AccessCache access = new AccessCache();
  /** The newest migration, as applied at open: what {@code /readyz} expects to find. */
  private final String schemaVersion;

  private SqlStore(Database db, StoreSettings settings, String schemaVersion) {
    this.db = db;
    this.dialect = db.dialect();
    this.settings = settings;
    this.schemaVersion = schemaVersion;
    this.batches = new SqlBatchStore(db, this, () -> transitions);
  }

  /** Who is told of each committed job state change from now on (the relay's metrics). */
  @Override
  public void observeTransitions(JobTransitions observer) {
    this.transitions = observer;
  }

  /** Cheap counts for gauges and the readiness check (see {@link StoreProbe}). */
  @Override
  public StoreProbe probe() {
    return new StoreProbe(db);
  }

  /** The schema version the migrations at open left, for {@link StoreProbe#notReady(String)}. */
  @Override
  public String schemaVersion() {
    return schemaVersion;
  }

  /** Customer batches, in the same database and transactions as the jobs they queue. */
  @Override
  public BatchStore batches() {
    return batches;
  }

  /** Opens the store {@code settings} name: {@code <dataDir>/relay.db} for SQLite. */
  public static SqlStore open(StoreSettings settings, Path dataDir) {
    if (settings.kind() == StoreSettings.Kind.POSTGRES) {
      createDataDir(dataDir); // the relay's keys live there with either store
      return openPostgres(settings);
    }
    return open(dataDir);
  }

  /** Opens (creating if needed) and migrates {@code <dataDir>/relay.db}. */
  public static SqlStore open(Path dataDir) {
    createDataDir(dataDir);
    return migrated(Database.open(dataDir.resolve(FILE_NAME)), StoreSettings.SQLITE);
  }

  private static void createDataDir(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StoreException("could not create relay.data-dir " + dataDir.toAbsolutePath()
          + " (" + e + "); create it or point relay.data-dir at a writable folder", e);
    }
  }

  /**
   * Connects to and migrates a PostgreSQL database (which must exist). Several relays may do this at
   * once: Flyway takes a lock in the database, and the second finds the schema already current.
   */
  public static SqlStore openPostgres(StoreSettings settings) {
    return migrated(Database.openPostgres(settings), settings);
  }

  private static SqlStore migrated(Database db, StoreSettings settings) {
    try {
      // One set of migrations for both databases: they use only what SQLite and PostgreSQL both run.
      Flyway flyway = Flyway.configure()
          .dataSource(db.writerDataSource())
          .locations(MIGRATIONS)
          .failOnMissingLocations(true)
          .load();
      flyway.migrate();
      var current = flyway.info().current();
      return new SqlStore(db, settings, current == null || current.getVersion() == null ? null
          : current.getVersion().getVersion());
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  @Override
  public String describe() {
    return settings.kind() == StoreSettings.Kind.SQLITE ? "SQLite" : "PostgreSQL "
        + StoreSettings.redact(settings.jdbcUrl());
  }

  @Override
  public boolean shared() {
    return dialect.shared();
  }

  @Override
  public void listen(JobEvents events) {
    if (!dialect.shared() || listener != null) {
      return;
    }
    // An agent that stopped or was disabled on another relay is read afresh at its next request here, so a
    // disabled one is refused at once rather than when this relay's cached row expires.
    listener = PgNotifications.start(settings, instanceId,
        events.onAgentLeftFirst((tenantId, agentId, at) -> access.forgetAgent(agentId)));
  }

  @Override
  public RelayKeys recordKeys(RelayKeys mine) {
    return db.write("record the relay's keys", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO relay_keys (id, job_signing_key, secret_box_check, "
          + "created_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
        ps.setString(1, mine.jobSigningKey());
        ps.setString(2, mine.secretBoxCheck());
        ps.setLong(3, mine.createdAt().toEpochMilli());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT job_signing_key, secret_box_check, created_at FROM relay_keys WHERE id = 1");
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("relay_keys has no row after inserting one");
        }
        return new RelayKeys(rs.getString(1), rs.getString(2), instant(rs, 3));
      }
    });
  }

  @Override
  public void close() {
    PgNotifications l = listener;
    if (l != null) {
      l.close();
    }
    db.close();
  }

  // ---------------------------------------------------------------- jobs

  @Override
  public void insert(Job job) {
    db.write("queue job " + job.id(), c -> {
      insertJob(c, job);
      return null;
    });
    inserted(job);
  }

  private void inserted(Job job) {
    transitions.queued(job);
    if (job.state() == JobState.LEASED) {
      transitions.leased(job, job.createdAt());
    }
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

  static Optional<IdempotencyEntry> idempotencyEntry(Connection c, String tenantId, String key, Instant now)
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
        job.action().wireName() + (job.agentGroup() == null ? "" : " for group " + job.agentGroup())
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
  private void notifyEnded(Connection c, String jobId) throws SQLException {
    dialect.notify(c, Dialect.ENDED_CHANNEL, PgNotifications.endedPayload(instanceId, jobId));
  }

  /** Who the audit log names for what the relay does by itself (the reaper). */
  static final String RELAY = "relay";

  /** Appends one audit event in the caller's transaction. The only statement that touches the table. */
  static void audit(Connection c, AuditEvent e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO audit_events (id, at, tenant_id, actor, action, subject, outcome, detail) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, e.id());
      ps.setLong(2, e.at().toEpochMilli());
      ps.setString(3, e.tenantId());
      ps.setString(4, e.actor());
      ps.setString(5, e.action());
      ps.setString(6, e.subject());
      ps.setString(7, e.outcome());
      ps.setString(8, e.detail());
      ps.executeUpdate();
    }
  }

  @Override
  public void append(AuditEvent event) {
    db.write("append an audit event", c -> {
      audit(c, event);
      return null;
    });
  }

  @Override
  public List<AuditEvent> auditEvents(String tenantId, Instant since, String action, String afterId, int limit) {
    StringBuilder sql = new StringBuilder(
        "SELECT id, at, tenant_id, actor, action, subject, outcome, detail FROM audit_events WHERE tenant_id = ?");
    List<Object> args = new ArrayList<>();
    args.add(tenantId);
    if (since != null) {
      sql.append(" AND at >= ?");
      args.add(since.toEpochMilli());
    }
    if (action != null) {
      sql.append(" AND action = ?");
      args.add(action);
    }
    if (afterId != null) {
      sql.append(" AND id > ?");
      args.add(afterId);
    }
    sql.append(" ORDER BY id LIMIT ?");
    args.add(limit);
    return db.read("read the audit log", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        List<AuditEvent> events = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            events.add(new AuditEvent(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
          }
        }
        return events;
      }
    });
  }

  @Override
  public Optional<Job> find(String tenantId, String jobId) {
    return db.read("read job " + jobId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + JOB_COLUMNS + " FROM jobs WHERE id = ? AND tenant_id = ?")) {
        ps.setString(1, jobId);
        ps.setString(2, tenantId);
        List<Job> jobs = Rows.jobs(ps);
        return jobs.stream().findFirst();
      }
    });
  }

  @Override
  public List<Job> claim(String tenantId, String agentGroup, String agentId, int maxJobs, Instant now,
      Instant leaseExpiresAt) {
    List<Job> leased = dialect == Dialect.POSTGRES
        ? claimInOneStatement(tenantId, agentGroup, agentId, maxJobs, now, leaseExpiresAt)
        : lookThenClaim(tenantId, agentGroup, agentId, maxJobs, now, leaseExpiresAt);
    for (Job j : leased) {
      transitions.leased(j, now);
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
  private List<Job> claimInOneStatement(String tenantId, String agentGroup, String agentId, int maxJobs,
      Instant now, Instant leaseExpiresAt) {
    List<Job> claimed = db.writeStatement("claim jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          // MATERIALIZED: picked once. As "id IN (SELECT … LIMIT …)" the planner may rescan the pick while
          // updating, and a rescan skips the rows just leased and takes the next ones: more than maxJobs.
          "WITH picked AS MATERIALIZED (SELECT id FROM jobs WHERE tenant_id = ? AND state = 'QUEUED' "
              + "AND (agent_group IS NULL OR agent_group = ?) AND deadline > ? ORDER BY id LIMIT ?"
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
        return Rows.jobs(ps);
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
      Instant leaseExpiresAt) {
    // Most polls find nothing: answer those from a reading connection and keep the single writer free.
    // A job queued right after this look wakes the poll, which then claims again.
    boolean anyQueued = db.read("look for queued jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM jobs WHERE tenant_id = ? AND state = 'QUEUED' "
              + "AND (agent_group IS NULL OR agent_group = ?) AND deadline > ? LIMIT 1")) {
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
              + "AND (agent_group IS NULL OR agent_group = ?) AND deadline > ? ORDER BY id LIMIT ?" + dialect.skipLocked)) {
        ps.setString(1, tenantId);
        ps.setString(2, agentGroup);
        ps.setLong(3, now.toEpochMilli());
        ps.setInt(4, maxJobs);
        candidates = Rows.jobs(ps);
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
    Completion completion = db.write("record the result of job " + jobId, c -> {
      action[0] = null;
      callback[0] = false;
      // RETURNING (SQLite 3.35+, PostgreSQL): the metrics learn the job's action and age, and whether a
      // callback is to be scheduled, without a query.
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE jobs SET state = ?, result_json = ?, error_json = ?, finished_at = ?, updated_at = ?, "
              + "lease_expires_at = NULL "
              + "WHERE id = ? AND tenant_id = ? AND attempt = ? AND leased_by = ? AND state IN ('LEASED', 'QUEUED') "
              + "RETURNING action, created_at, callback_url IS NOT NULL")) {
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
          }
        }
        if (updated) {
          if (callback[0]) {
            scheduleCallback(c, jobId, now);
          }
          audit(c, outcome == JobState.DEAD
              // Not an agent's result: the relay ended the job because its delivery gave up (SQS dead letters).
              ? AuditEvent.of(now, tenantId, RELAY, "job.ended", jobId, outcome.name(),
                  "its delivery gave up (attempt " + attempt + ", held by " + agentId + ")")
              : AuditEvent.of(now, tenantId, agentId, "job.ended", jobId, outcome.name(), "attempt " + attempt));
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
      transitions.ended(action[0], outcome, createdAt[0], now);
    }
    if (completion == Completion.ACCEPTED && callback[0]) {
      deliveryScheduled.run();
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
      transitions.requeued(j);
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
              scheduleCallback(c, j.id(), now);
            }
            audit(c, AuditEvent.of(now, j.tenantId(), RELAY, "job.ended", j.id(), JobState.DEAD.name(),
                "every lease lapsed without a result (attempt " + j.attempt() + ")"));
            notifyEnded(c, j.id());
            dead.add(withState(j, JobState.DEAD, errorJson, now));
          }
        }
      }
      return dead;
    });
    for (Job j : out) {
      transitions.ended(j.action(), JobState.DEAD, j.createdAt(), now);
    }
    deliveriesScheduled(out);
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
              scheduleCallback(c, j.id(), now);
            }
            audit(c, AuditEvent.of(now, j.tenantId(), RELAY, "job.ended", j.id(), JobState.EXPIRED.name(),
                "no agent took it before its deadline"));
            notifyEnded(c, j.id());
            expired.add(withState(j, JobState.EXPIRED, j.errorJson(), now));
          }
        }
      }
      return expired;
    });
    for (Job j : out) {
      transitions.ended(j.action(), JobState.EXPIRED, j.createdAt(), now);
    }
    deliveriesScheduled(out);
    return out;
  }

  // ---------------------------------------------------------------- job administration

  private static final String ENTRY_COLUMNS = JOB_COLUMNS + ", COALESCE(updated_at, finished_at, created_at), retry_of";

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
          callback[0] = scheduleCallback(c, jobId, now);
          audit(c, AuditEvent.of(now, tenantId, actor, "job.ended", jobId, JobState.CANCELLED.name(),
              "cancelled by an administrator"));
          notifyEnded(c, jobId);
        }
        return new Change(done, entry(c, tenantId, jobId).map(JobEntry::job).orElse(null));
      }
    });
    if (callback[0]) {
      deliveryScheduled.run();
    }
    return change;
  }

  @Override
  public Change retry(String tenantId, String jobId, Job retry) {
    if (!retry.tenantId().equals(tenantId) || retry.state() != JobState.QUEUED) {
      throw new IllegalArgumentException("a retry is a QUEUED job of the same tenant");
    }
    return db.write("retry job " + jobId, c -> {
      Optional<JobEntry> old = entry(c, tenantId, jobId);
      if (old.isEmpty() || !old.get().job().state().isRetryable() || retried(c, jobId)) {
        return new Change(false, old.map(JobEntry::job).orElse(null));
      }
      // The unique index on retry_of (V9) refuses a second retry that raced this one on another relay.
      insertJob(c, retry, jobId);
      return new Change(true, retry);
    });
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
    return batches.batches(tenantId, beforeId, limit);
  }

  @Override
  public List<TenantRecord> tenants() {
    return db.read("list tenants", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name, created_at FROM tenants ORDER BY id")) {
        List<TenantRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new TenantRecord(rs.getString(1), rs.getString(2), instant(rs, 3)));
          }
        }
        return out;
      }
    });
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

  // ---------------------------------------------------------------- tenants, keys, agents

  @Override
  public String ensureTenant(String name, String newId, Instant now) {
    return db.write("create tenant", c -> {
      // Two relays may create the same tenant at once: the unique name decides, the loser reads the winner's id.
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
        ps.setString(1, newId);
        ps.setString(2, name);
        ps.setLong(3, now.toEpochMilli());
        if (ps.executeUpdate() == 1) {
          return newId;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT id FROM tenants WHERE name = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getString(1);
          }
        }
      }
      throw new SQLException("tenant " + name + " neither inserted nor found");
    });
  }

  @Override
  public boolean tenantExists(String tenantId) {
    return db.read("read tenant", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM tenants WHERE id = ?")) {
        ps.setString(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  @Override
  public void insertApiKey(ApiKeyRecord key) {
    db.write("store API key", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO api_keys (id, tenant_id, key_hash, created_at, webhook_secret, scopes, expires_at) "
              + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, key.id());
        ps.setString(2, key.tenantId());
        ps.setString(3, key.keyHash());
        ps.setLong(4, key.createdAt().toEpochMilli());
        ps.setString(5, key.webhookSecret());
        ps.setString(6, key.scopes());
        setInstant(ps, 7, key.expiresAt());
        ps.executeUpdate();
      }
      return null;
    });
  }

  private static final String API_KEY_COLUMNS =
      "id, tenant_id, key_hash, created_at, revoked_at, webhook_secret, scopes, expires_at";

  @Override
  public Optional<ApiKeyRecord> findApiKey(String keyId) {
    return access.apiKey(keyId, this::readApiKey);
  }

  private Optional<ApiKeyRecord> readApiKey(String keyId) {
    return db.read("read API key", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + API_KEY_COLUMNS + " FROM api_keys WHERE id = ?")) {
        ps.setString(1, keyId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(apiKey(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<ApiKeyRecord> apiKeys(String tenantId) {
    return db.read("list API keys", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + API_KEY_COLUMNS + " FROM api_keys WHERE tenant_id = ? ORDER BY id")) {
        ps.setString(1, tenantId);
        List<ApiKeyRecord> keys = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            keys.add(apiKey(rs));
          }
        }
        return keys;
      }
    });
  }

  private static ApiKeyRecord apiKey(ResultSet rs) throws SQLException {
    return new ApiKeyRecord(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5),
        rs.getString(6), rs.getString(7), instant(rs, 8));
  }

  @Override
  public Optional<TenantRecord> findTenant(String tenantId) {
    return db.read("read tenant", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, name, created_at FROM tenants WHERE id = ?")) {
        ps.setString(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new TenantRecord(rs.getString(1), rs.getString(2), instant(rs, 3)))
              : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean revokeApiKey(String keyId, Instant now) {
    boolean revoked = db.write("revoke API key", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setString(2, keyId);
        return ps.executeUpdate() == 1;
      }
    });
    access.forgetApiKey(keyId);
    return revoked;
  }

  @Override
  public void insertEnrollmentToken(EnrollmentTokenRecord token) {
    db.write("store enrollment token", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO enrollment_tokens (id, tenant_id, agent_group, token_hash, created_at, expires_at) "
              + "VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, token.id());
        ps.setString(2, token.tenantId());
        ps.setString(3, token.agentGroup());
        ps.setString(4, token.tokenHash());
        ps.setLong(5, token.createdAt().toEpochMilli());
        ps.setLong(6, token.expiresAt().toEpochMilli());
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<EnrollmentTokenRecord> findEnrollmentToken(String tokenId) {
    return db.read("read enrollment token", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, tenant_id, agent_group, token_hash, created_at, expires_at, used_at "
              + "FROM enrollment_tokens WHERE id = ?")) {
        ps.setString(1, tokenId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new EnrollmentTokenRecord(rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getString(4), instant(rs, 5), instant(rs, 6), instant(rs, 7)));
        }
      }
    });
  }

  @Override
  public boolean enrollAgent(String tokenId, AgentRecord agent, Instant now) {
    return db.write("enroll agent", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE enrollment_tokens SET used_at = ?, used_by = ? "
              + "WHERE id = ? AND used_at IS NULL AND expires_at > ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setString(2, agent.id());
        ps.setString(3, tokenId);
        ps.setLong(4, now.toEpochMilli());
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO agents (id, tenant_id, agent_group, key_hash, name, hostname, version, backend, "
              + "enrolled_at, last_seen, in_flight, public_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, agent.id());
        ps.setString(2, agent.tenantId());
        ps.setString(3, agent.agentGroup());
        ps.setString(4, agent.keyHash());
        ps.setString(5, agent.name());
        ps.setString(6, agent.hostname());
        ps.setString(7, agent.version());
        ps.setString(8, agent.backend());
        ps.setLong(9, agent.enrolledAt().toEpochMilli());
        setInstant(ps, 10, agent.lastSeen());
        ps.setInt(11, agent.inFlight());
        ps.setString(12, agent.publicKey());
        ps.executeUpdate();
      }
      return true;
    });
  }

  private static final String AGENT_COLUMNS = "id, tenant_id, agent_group, key_hash, name, hostname, version, "
      + "backend, enrolled_at, last_seen, in_flight, disabled_at, public_key, previous_public_key, previous_key_until";

  @Override
  public Optional<AgentRecord> findAgent(String agentId) {
    return access.agent(agentId, this::readAgent);
  }

  private Optional<AgentRecord> readAgent(String agentId) {
    return db.read("read agent", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + AGENT_COLUMNS + " FROM agents WHERE id = ?")) {
        ps.setString(1, agentId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(agent(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<AgentRecord> agents(String tenantId) {
    return db.read("list agents", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + AGENT_COLUMNS + " FROM agents WHERE tenant_id = ? ORDER BY id")) {
        ps.setString(1, tenantId);
        List<AgentRecord> agents = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            agents.add(agent(rs));
          }
        }
        return agents;
      }
    });
  }

  @Override
  public boolean disableAgent(String tenantId, String agentId, Instant now) {
    boolean disabled = db.write("disable agent", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE agents SET disabled_at = COALESCE(disabled_at, ?) WHERE id = ? AND tenant_id = ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setString(2, agentId);
        ps.setString(3, tenantId);
        return ps.executeUpdate() == 1;
      }
    });
    access.forgetAgent(agentId);
    return disabled;
  }

  @Override
  public void changeAgentKey(String agentId, String publicKey, Instant previousUntil) {
    db.write("change agent key", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE agents SET previous_public_key = public_key, previous_key_until = ?, public_key = ?, key_hash = '-' "
              + "WHERE id = ?")) {
        ps.setLong(1, previousUntil.toEpochMilli());
        ps.setString(2, publicKey);
        ps.setString(3, agentId);
        ps.executeUpdate();
      }
      return null;
    });
    access.forgetAgent(agentId); // the new key works at once
  }

  private static AgentRecord agent(ResultSet rs) throws SQLException {
    return new AgentRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9), instant(rs, 10), rs.getInt(11),
        instant(rs, 12), rs.getString(13), rs.getString(14), instant(rs, 15));
  }

  @Override
  public void recordAgentsSeen(List<AgentSeen> seen) {
    if (seen.isEmpty()) {
      return;
    }
    db.write("record agents' last seen", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE agents SET last_seen = ?, version = COALESCE(?, version), backend = COALESCE(?, backend), "
              + "in_flight = COALESCE(?, in_flight), "
              // A poll after the agent said it stops means it runs again; an older poll written late does not.
              + "left_at = CASE WHEN ? = 1 AND left_at < ? THEN NULL ELSE left_at END WHERE id = ?")) {
        for (AgentSeen s : seen) {
          ps.setLong(1, s.seenAt().toEpochMilli());
          ps.setString(2, s.version());
          ps.setString(3, s.backend());
          if (s.inFlight() == null) {
            ps.setNull(4, Types.INTEGER);
          } else {
            ps.setInt(4, s.inFlight());
          }
          ps.setInt(5, s.polled() ? 1 : 0);
          ps.setLong(6, s.seenAt().toEpochMilli());
          ps.setString(7, s.agentId());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public Optional<Instant> lastAgentSeen(String tenantId, String agentGroup) {
    return db.read("read agents' last seen", c -> {
      String sql = "SELECT MAX(last_seen) FROM agents WHERE tenant_id = ? AND left_at IS NULL"
          + (agentGroup == null ? "" : " AND agent_group = ?");
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, tenantId);
        if (agentGroup != null) {
          ps.setString(2, agentGroup);
        }
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.ofNullable(instant(rs, 1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public void recordAgentLeft(String tenantId, String agentId, Instant at) {
    db.write("record that an agent stops", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE agents SET left_at = ? WHERE id = ? AND tenant_id = ?")) {
        ps.setLong(1, at.toEpochMilli());
        ps.setString(2, agentId);
        ps.setString(3, tenantId);
        ps.executeUpdate();
      }
      dialect.notify(c, Dialect.AGENT_LEFT_CHANNEL,
          PgNotifications.agentLeftPayload(instanceId, tenantId, agentId, at));
      return null;
    });
  }

  @Override
  public boolean firstTokenUse(String agentId, String nonce, Instant expiresAt) {
    // ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike): a replay inserts nothing instead of failing the
    // transaction, so on SQLite it cannot spoil the writes grouped with it.
    return db.write("record an agent token's use", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_token_uses (agent_id, nonce, expires_at) "
          + "VALUES (?, ?, ?) ON CONFLICT (agent_id, nonce) DO NOTHING")) {
        ps.setString(1, agentId);
        ps.setString(2, nonce);
        ps.setLong(3, expiresAt.toEpochMilli());
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public int purgeTokenUses(Instant now) {
    return db.write("forget expired agent token uses", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM agent_token_uses WHERE expires_at <= ?")) {
        ps.setLong(1, now.toEpochMilli());
        return ps.executeUpdate();
      }
    });
  }

  // ---------------------------------------------------------------- callbacks

  /**
   * In the transaction that ended the job: a delivery is due now if the job has a callback URL. Returns
   * whether one was scheduled. Callers that know the job has no callback URL skip the statement.
   */
  private static boolean scheduleCallback(Connection c, String jobId, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO callback_deliveries (job_id, attempts, next_attempt_at) "
            + "SELECT id, 0, ? FROM jobs WHERE id = ? AND callback_url IS NOT NULL")) {
      ps.setLong(1, now.toEpochMilli());
      ps.setString(2, jobId);
      return ps.executeUpdate() == 1;
    }
  }

  @Override
  public void onDeliveryScheduled(Runnable listener) {
    this.deliveryScheduled = listener;
  }

  /** After the commit that ended {@code ended}: the sender looks now if any of them has a callback. */
  private void deliveriesScheduled(List<Job> ended) {
    if (ended.stream().anyMatch(j -> j.callbackUrl() != null)) {
      deliveryScheduled.run();
    }
  }

  @Override
  public List<Delivery> dueDeliveries(Instant now, int limit) {
    if (dialect.shared()) {
      return takeDueDeliveries(now, limit);
    }
    return db.read("read due callbacks", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT d.job_id, j.tenant_id, d.attempts FROM callback_deliveries d JOIN jobs j ON j.id = d.job_id "
              + "WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= ? "
              + "ORDER BY d.next_attempt_at LIMIT ?")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setInt(2, limit);
        List<Delivery> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Delivery(rs.getString(1), rs.getString(2), rs.getInt(3)));
          }
        }
        return out;
      }
    });
  }

  /**
   * With several relays each due delivery goes to one of them: it is taken (its next attempt moved
   * {@link #CALLBACK_TAKEN_FOR} ahead) in the transaction that finds it, rows another relay is taking
   * skipped. {@link #recordAttempt} then sets the real next attempt.
   */
  private List<Delivery> takeDueDeliveries(Instant now, int limit) {
    return db.write("take due callbacks", c -> {
      List<Delivery> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT d.job_id, j.tenant_id, d.attempts FROM callback_deliveries d JOIN jobs j ON j.id = d.job_id "
              + "WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= ? "
              + "ORDER BY d.next_attempt_at LIMIT ? FOR UPDATE OF d SKIP LOCKED")) {
        ps.setLong(1, now.toEpochMilli());
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Delivery(rs.getString(1), rs.getString(2), rs.getInt(3)));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE callback_deliveries SET next_attempt_at = ? WHERE job_id = ?")) {
        for (Delivery d : out) {
          ps.setLong(1, now.plus(CALLBACK_TAKEN_FOR).toEpochMilli());
          ps.setString(2, d.jobId());
          ps.executeUpdate();
        }
      }
      return out;
    });
  }

  @Override
  public void recordAttempt(String jobId, int attempts, Instant now, DeliveryOutcome outcome, Instant nextAttemptAt,
      String error) {
    db.write("record a callback attempt for job " + jobId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE callback_deliveries SET attempts = ?, next_attempt_at = ?, delivered_at = ?, failed_at = ?, "
              + "last_error = ? WHERE job_id = ?")) {
        ps.setInt(1, attempts);
        ps.setLong(2, (nextAttemptAt == null ? now : nextAttemptAt).toEpochMilli());
        setInstant(ps, 3, outcome == DeliveryOutcome.DELIVERED ? now : null);
        setInstant(ps, 4, outcome == DeliveryOutcome.GAVE_UP ? now : null);
        ps.setString(5, error == null || error.length() <= 500 ? error : error.substring(0, 500));
        ps.setString(6, jobId);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<DeliveryState> deliveryState(String jobId) {
    return db.read("read the callback of job " + jobId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT attempts, delivered_at, failed_at, last_error FROM callback_deliveries WHERE job_id = ?")) {
        ps.setString(1, jobId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new DeliveryState(rs.getInt(1), instant(rs, 2), instant(rs, 3), rs.getString(4)));
        }
      }
    });
  }

  // ---------------------------------------------------------------- helpers

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
      return Rows.jobs(ps);
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
