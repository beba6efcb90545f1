package io.ferry.relay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Everything the store says differently to SQLite and to PostgreSQL, and nothing else: the tables,
 * the migrations and every other statement are the same for both.
 *
 * <p>SQLite has one writer at a time (the store's single writing connection), so a claim can never
 * meet another claim and needs no row locks. PostgreSQL runs writers side by side, several relay
 * instances among them: a claim locks the rows it takes and skips the ones another claim holds, and
 * every instance hears through LISTEN/NOTIFY what another one queued or ended.
 */
enum Dialect {

  SQLITE("", "") {
    @Override
    void notify(Connection c, String channel, String payload) {
      // One relay per file: whoever queued or ended a job already woke its own waiters.
    }
  },

  POSTGRES(" FOR UPDATE SKIP LOCKED", " FOR UPDATE") {
    @Override
    void notify(Connection c, String channel, String payload) throws SQLException {
      // Sent when the transaction commits, and not at all when it rolls back.
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
        ps.setString(1, channel);
        ps.setString(2, payload);
        ps.executeQuery().close();
      }
    }
  };

  /** LISTEN/NOTIFY channels: a job entered the queue, a job reached a final state. */
  static final String QUEUED_CHANNEL = "ferry_job_queued";
  static final String ENDED_CHANNEL = "ferry_job_ended";
  /** An agent said it stops: every relay counts it offline at once. */
  static final String AGENT_LEFT_CHANNEL = "ferry_agent_left";

  /** Appended to a SELECT of queued rows to claim: rows another transaction holds are not waited for. */
  final String skipLocked;
  /** Appended to a SELECT of one row that the transaction is about to change and others must wait for. */
  final String forUpdate;

  Dialect(String skipLocked, String forUpdate) {
    this.skipLocked = skipLocked;
    this.forUpdate = forUpdate;
  }

  /** Whether several relay instances may share the database (and so must tell each other what they did). */
  boolean shared() {
    return this == POSTGRES;
  }

  /** Tells the other relay instances about a change, when the caller's transaction commits. */
  abstract void notify(Connection c, String channel, String payload) throws SQLException;
}
