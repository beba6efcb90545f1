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
 * Connections to the relay's SQLite file. SQLite has one writer at a time, so writes go through a
 * pool of exactly one connection: callers queue in the pool (fair, bounded by a timeout) instead of
 * spinning on SQLite's busy handler, and a claim can never interleave with another claim. Reads use
 * a few more connections, which WAL lets run beside the writer.
 */
final class Database implements AutoCloseable {

  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private static final int BUSY_TIMEOUT_MS = 5_000;
  private static final int READERS = 4;

  private final HikariDataSource writer;
  private final HikariDataSource reader;

  private Database(HikariDataSource writer, HikariDataSource reader) {
    this.writer = writer;
    this.reader = reader;
  }

  static Database open(Path file) {
    HikariDataSource writer = pool("ferry-relay-db-writer", 1, sqlite(file, true));
    try {
      return new Database(writer, pool("ferry-relay-db-reader", READERS, sqlite(file, false)));
    } catch (RuntimeException e) {
      writer.close();
      throw e;
    }
  }

  DataSource writerDataSource() {
    return writer;
  }

  /** Runs {@code work} in one write transaction, committed before this returns. */
  <T> T write(String what, SqlWork<T> work) {
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

  /** Runs {@code work} on a reading connection (autocommit: each statement sees the latest commit). */
  <T> T read(String what, SqlWork<T> work) {
    try (Connection c = reader.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new StoreException("could not " + what + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    reader.close();
    writer.close();
  }

  private static DataSource sqlite(Path file, boolean writer) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL: a commit is on disk (WAL fsynced) before it returns, so a job is durable before the
    // engine hears it was accepted.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    if (writer) {
      // Take the write lock at BEGIN, not at the first write: no deadlock between two upgrading readers.
      config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    }
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return ds;
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
