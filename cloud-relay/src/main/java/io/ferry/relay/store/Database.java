package io.ferry.relay.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Connections to the relay's database.
 *
 * <p>SQLite has one writer at a time, so writes go through one connection, used by one writer thread
 * with group commit ({@link GroupCommit}): callers queue for it instead of spinning on SQLite's busy
 * handler, and a claim can never interleave with another claim. Reads use a few more connections,
 * which WAL lets run beside the writer.
 *
 * <p>PostgreSQL runs writers side by side (READ COMMITTED), so reads and writes share one pool; the
 * statements guard themselves (each state change names the state it expects, claims lock rows).
 */
final class Database implements AutoCloseable {

  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private static final int BUSY_TIMEOUT_MS = 5_000;
  private static final int READERS = 4;

  /** Connections of one relay instance to PostgreSQL: its engine requests, polls, reaper and batches. */
  private static final int POSTGRES_POOL = 10;

  private final Dialect dialect;
  private final HikariDataSource writer;
  private final HikariDataSource reader;
  /** SQLite's writer thread; null on PostgreSQL, where each caller writes on its own connection. */
  private final GroupCommit groupCommit;

  private Database(Dialect dialect, HikariDataSource writer, HikariDataSource reader) {
    this.dialect = dialect;
    this.writer = writer;
    this.reader = reader;
    this.groupCommit = dialect == Dialect.SQLITE ? new GroupCommit(writer) : null;
  }

  static Database open(Path file) {
    OwnerOnlyDatabase.prepare(file);
    HikariDataSource writer = pool("ferry-relay-db-writer", 1, sqlite(file, true));
    try {
      return new Database(Dialect.SQLITE, writer, pool("ferry-relay-db-reader", READERS, sqlite(file, false)));
    } catch (RuntimeException e) {
      writer.close();
      throw e;
    }
  }

  /** A pool on the PostgreSQL database of {@code settings}; fails fast with the cause when it cannot connect. */
  static Database openPostgres(StoreSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("ferry-relay-db");
    config.setJdbcUrl(settings.jdbcUrl());
    config.setDriverClassName("org.postgresql.Driver");
    if (settings.user() != null) {
      config.setUsername(settings.user());
    }
    if (settings.password() != null) {
      config.setPassword(settings.password());
    }
    config.setMaximumPoolSize(POSTGRES_POOL);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(30_000);
    config.setInitializationFailTimeout(10_000);
    config.addDataSourceProperty("ApplicationName", "ferry-relay");
    try {
      HikariDataSource ds = new HikariDataSource(config);
      return new Database(Dialect.POSTGRES, ds, ds);
    } catch (RuntimeException e) {
      throw new StoreException("could not connect to PostgreSQL at " + StoreSettings.redact(settings.jdbcUrl())
          + " as " + (settings.user() == null ? "the default user" : settings.user()) + ": " + rootMessage(e)
          + "; check relay.jdbc-url, relay.db-user and relay.db-password, and that the database exists", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  Dialect dialect() {
    return dialect;
  }

  DataSource writerDataSource() {
    return writer;
  }

  /**
   * Runs {@code work} in a write transaction, committed before this returns (on SQLite possibly shared
   * with other writes, each in its own savepoint: see {@link GroupCommit}). A failing {@code work} is
   * rolled back and its exception thrown here, a {@link SQLException} as a {@link StoreException}.
   */
  <T> T write(String what, SqlWork<T> work) {
    if (groupCommit != null) {
      return groupCommit.write(what, work);
    }
    try (Connection c = writer.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("could not " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code work}, a write that is one statement, committed before this returns. On PostgreSQL the
   * statement runs autocommitted: one round trip to the server, where {@link #write} needs a BEGIN and a
   * COMMIT besides. On SQLite it is a {@link #write} (its single writer groups commits).
   */
  <T> T writeStatement(String what, SqlWork<T> work) {
    if (groupCommit != null) {
      return groupCommit.write(what, work);
    }
    try (Connection c = writer.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException("could not " + what + ": " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} on a reading connection (autocommit: each statement sees the latest commit). */
  <T> T read(String what, SqlWork<T> work) {
    try (Connection c = reader.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException("could not " + what + ": " + e.getMessage(), e);
    }
  }

  /** Lets queued writes finish (bounded wait), then closes the connections. */
  @Override
  public void close() {
    if (groupCommit != null) {
      groupCommit.close();
    }
    reader.close();
    if (writer != reader) {
      writer.close();
    }
  }

  private static DataSource sqlite(Path file, boolean writer) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL: a commit is on disk (WAL fsynced) before it returns, so a job is durable before the
    // engine hears it was accepted.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    // Else sqlite-jdbc follows every INSERT with a SELECT last_insert_rowid() on a freshly prepared
    // statement, for getGeneratedKeys, which the relay never calls (its ids are ULIDs it makes itself).
    config.setGetGeneratedKeys(false);
    if (writer) {
      // Take the write lock at BEGIN, not at the first write: no deadlock between two upgrading readers.
      config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    }
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return StatementCache.around(ds);
  }

  private static HikariDataSource pool(String name, int size, DataSource ds) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setDataSource(ds);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(30_000);
    return new HikariDataSource(config);
  }
}
