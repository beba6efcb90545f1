package io.ferry.relay.store;

import static io.ferry.relay.store.Rows.instant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * The relay's store on SQLite (embedded: one file, {@code <dataDir>/relay.db}, one relay) or on
 * PostgreSQL (several relays share it). Both run the same migrations and the same statements; the
 * few words they say differently are in {@link Dialect}. Migrated by Flyway at open.
 *
 * <p>Each part of the store is a class of its own on the one database ({@link SqlJobStore},
 * {@link SqlJobAdminStore}, {@link SqlAccessStore}, {@link SqlCallbackStore}, {@link SqlAuditStore},
 * {@link SqlBatchStore}, {@link SqlChangeStore}); this one opens the database, holds what they share and wires them: a part that
 * writes what goes with another part's change (a callback with a job's end, a job with a batch's step) does
 * so in its own transaction, through the other part it is given.
 */
public final class SqlStore implements RelayStore {

  public static final String FILE_NAME = "relay.db";
  private static final String MIGRATIONS = "classpath:db/migration/relay";

  private final Database db;
  private final Dialect dialect;
  /** Names this relay in its notifications, so it does not wake its own waiters twice. */
  private final String instanceId = Ulid.next();
  private final StoreSettings settings;
  private volatile PgNotifications listener;
  private volatile JobTransitions transitions = JobTransitions.NONE;
  /** API keys and agents as authentication reads them: no database read per request. */
  private final AccessCache accessCache = new AccessCache();
  /** The newest migration, as applied at open: what {@code /readyz} expects to find. */
  private final String schemaVersion;

  private final SqlJobStore jobs;
  private final SqlJobAdminStore jobAdmin;
  private final SqlAccessStore access;
  private final SqlCallbackStore callbacks;
  private final SqlAuditStore audit;
  private final SqlBatchStore batches;
  private final SqlChangeStore changes;
  private final SqlSubscriptionStore subscriptions;

  private SqlStore(Database db, StoreSettings settings, String schemaVersion) {
    this.db = db;
    this.dialect = db.dialect();
    this.settings = settings;
    this.schemaVersion = schemaVersion;
    this.callbacks = new SqlCallbackStore(db);
    this.audit = new SqlAuditStore(db);
    this.access = new SqlAccessStore(db, instanceId, accessCache);
    this.jobs = new SqlJobStore(db, instanceId, () -> transitions, callbacks);
    this.jobAdmin = new SqlJobAdminStore(db, jobs, callbacks);
    this.batches = new SqlBatchStore(db, jobs, () -> transitions);
    this.changes = new SqlChangeStore(db);
    this.subscriptions = new SqlSubscriptionStore(db);
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

  @Override
  public JobStore jobs() {
    return jobs;
  }

  @Override
  public JobAdminStore jobAdmin() {
    return jobAdmin;
  }

  @Override
  public AccessStore access() {
    return access;
  }

  @Override
  public CallbackStore callbacks() {
    return callbacks;
  }

  @Override
  public AuditStore audit() {
    return audit;
  }

  /** Customer batches, in the same database and transactions as the jobs they queue. */
  @Override
  public BatchStore batches() {
    return batches;
  }

  /** The tenants' change feeds. */
  @Override
  public ChangeStore changes() {
    return changes;
  }

  @Override
  public SubscriptionStore subscriptions() {
    return subscriptions;
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
        events.onAgentLeftFirst((tenantId, agentId, at) -> accessCache.forgetAgent(agentId)));
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
}
