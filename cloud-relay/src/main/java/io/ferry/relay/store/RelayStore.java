package io.ferry.relay.store;

import java.nio.file.Path;

/**
 * Everything the relay keeps, in one store: {@link SqlStore} on SQLite (the default, one relay) or on
 * PostgreSQL (several relays share it). Its parts are reached through it, so each user of the store is given
 * the part it needs and no more: dispatch the {@link #jobs()}, authentication the {@link #access()}.
 */
public interface RelayStore extends AutoCloseable {

  /** Opens (and migrates) the store the settings name; SQLite keeps {@code <dataDir>/relay.db}. */
  static RelayStore open(StoreSettings settings, Path dataDir) {
    return SqlStore.open(settings, dataDir);
  }

  /** Who is told of each committed job state change from now on (the relay's metrics). */
  void observeTransitions(JobTransitions observer);

  /** Cheap counts for gauges and the readiness check. */
  StoreProbe probe();

  /** The schema version the migrations at open left, for {@link StoreProbe#notReady(String)}. */
  String schemaVersion();

  /** The durable job queue. */
  JobStore jobs();

  /** What a tenant's administrator reads and does to jobs and batches. */
  JobAdminStore jobAdmin();

  /** Tenants, API keys, enrollment tokens and agents. */
  AccessStore access();

  /** Pending callbacks, scheduled in the transactions that end jobs. */
  CallbackStore callbacks();

  /** The audit log's table, which the jobs' own events join in the transactions that queue and end them. */
  AuditStore audit();

  /** Customer batches, in the same database and transactions as the jobs they queue. */
  BatchStore batches();

  /** The tenants' change feeds: what agents report changed in SAP, for engines to read in order. */
  ChangeStore changes();

  /** Webhook subscriptions to the change feeds, with each one's position and delivery state. */
  SubscriptionStore subscriptions();

  /** Whether other relay instances may share this store (and tell this one what they did through {@link #listen}). */
  boolean shared();

  /**
   * Starts telling {@code events} what other relay instances did: jobs they queued, jobs they ended.
   * Does nothing for a store that is not {@link #shared()}: one relay wakes its own waiters.
   */
  void listen(JobEvents events);

  /**
   * The keys every relay sharing this store must hold: records {@code mine} unless a relay recorded its
   * own before, and returns what is recorded (so {@code mine} when this relay was the first).
   */
  RelayKeys recordKeys(RelayKeys mine);

  /**
   * @param jobSigningKey the job-signing public key (base64), as agents pin it
   * @param secretBoxCheck a constant sealed with relay.key: another relay.key cannot open it
   */
  record RelayKeys(String jobSigningKey, String secretBoxCheck, java.time.Instant createdAt) {}

  /** For the log: which database, never a password. */
  String describe();

  @Override
  void close();
}
