package io.ferry.agent.changes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.agent.journal.Journal;
import io.ferry.agent.journal.OwnerOnlyDatabase;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.change.ChangeEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * The change watcher's part of the agent's journal ({@code <data-dir>/journal.db}, beside the jobs' table): a
 * watermark per watched object and an outbox of change events.
 *
 * <ul>
 *   <li>{@code change_watermark}: up to when an object's changes were found (the scan's start, by the agent's clock);
 *   <li>{@code change_outbox}: each event found, by its stable id, pending until the relay confirmed it. A confirmed
 *       event keeps its row (without its customer data) as long as a scan's overlap can find it again: found again, it
 *       is recognised by its id and not sent twice.
 * </ul>
 *
 * <p>Events enter the outbox and the watermark advances in one transaction: a crash between the two cannot skip a
 * change. Its own connection, as the jobs' journal keeps its own: SQLite serialises the writers (WAL, busy timeout),
 * and the watcher writes once a scan.
 */
public final class ChangeJournal implements AutoCloseable {

  private final Connection db;
  private final ObjectMapper json = Protocol.json();

  /** Opens (or creates) the change tables in {@code dataDir}'s journal. */
  public ChangeJournal(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(Journal.FILE_NAME);
    OwnerOnlyDatabase.prepare(file);
    try {
      SQLiteConfig config = new SQLiteConfig();
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setBusyTimeout(5_000);
      // FULL: an event stored is on disk before the watermark that skips it is.
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
      // The migration, as the jobs' table has it: tables created when missing.
      try (Statement s = db.createStatement()) {
        s.executeUpdate("""
            CREATE TABLE IF NOT EXISTS change_watermark (
              object    TEXT PRIMARY KEY,
              watermark INTEGER NOT NULL
            )""");
        s.executeUpdate("""
            CREATE TABLE IF NOT EXISTS change_outbox (
              seq        INTEGER PRIMARY KEY AUTOINCREMENT,
              event_id   TEXT NOT NULL UNIQUE,
              changed_at INTEGER NOT NULL,
              event      TEXT,
              sent_at    INTEGER
            )""");
        s.executeUpdate("CREATE INDEX IF NOT EXISTS change_outbox_pending ON change_outbox (sent_at, seq)");
      }
    } catch (SQLException e) {
      throw new IOException("cannot open the change tables of the agent's journal " + file + ": " + e.getMessage(), e);
    }
  }

  /** Up to when {@code object}'s changes were found; empty before the first scan. */
  public synchronized Optional<Instant> watermark(String object) {
    try (PreparedStatement p = db.prepareStatement("SELECT watermark FROM change_watermark WHERE object = ?")) {
      p.setString(1, object);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(Instant.ofEpochMilli(r.getLong(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the change journal cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Stores the events not known yet (by id) and moves {@code object}'s watermark to {@code watermark}, in one
   * transaction; answers how many events were new.
   */
  public synchronized int record(String object, Collection<ChangeEvent> events, Instant watermark) {
    try {
      db.setAutoCommit(false);
      int added = 0;
      try (PreparedStatement insert = db.prepareStatement(
          "INSERT OR IGNORE INTO change_outbox (event_id, changed_at, event) VALUES (?, ?, ?)");
          PreparedStatement mark = db.prepareStatement("INSERT INTO change_watermark (object, watermark) VALUES (?, ?) "
              + "ON CONFLICT (object) DO UPDATE SET watermark = excluded.watermark")) {
        for (ChangeEvent e : events) {
          insert.setString(1, e.id());
          insert.setLong(2, e.changedAt().toEpochMilli());
          insert.setString(3, json.writeValueAsString(e));
          added += insert.executeUpdate();
        }
        mark.setString(1, object);
        mark.setLong(2, watermark.toEpochMilli());
        mark.executeUpdate();
        db.commit();
        return added;
      } catch (SQLException | IOException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("the change journal cannot be written: " + e.getMessage(), e);
    }
  }

  /** Which of these event ids the outbox holds (waiting, or sent and still remembered). */
  public synchronized java.util.Set<String> known(Collection<String> eventIds) {
    java.util.Set<String> known = new java.util.HashSet<>();
    try (PreparedStatement p = db.prepareStatement("SELECT 1 FROM change_outbox WHERE event_id = ?")) {
      for (String id : eventIds) {
        p.setString(1, id);
        try (ResultSet r = p.executeQuery()) {
          if (r.next()) {
            known.add(id);
          }
        }
      }
      return known;
    } catch (SQLException e) {
      throw new IllegalStateException("the change journal cannot be read: " + e.getMessage(), e);
    }
  }

  /** The oldest {@code max} events the relay has not confirmed, in the order they were found. */
  public synchronized List<ChangeEvent> pending(int max) {
    List<ChangeEvent> events = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement(
        "SELECT event FROM change_outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?")) {
      p.setInt(1, max);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          events.add(json.readValue(r.getString(1), ChangeEvent.class));
        }
      }
      return events;
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("the change journal cannot be read: " + e.getMessage(), e);
    }
  }

  /** How many events wait for the relay. */
  public synchronized int pendingCount() {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM change_outbox WHERE sent_at IS NULL")) {
      return r.next() ? r.getInt(1) : 0;
    } catch (SQLException e) {
      throw new IllegalStateException("the change journal cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * The relay confirmed these events: their customer data is deleted, their ids kept until {@link #forgetSent} (so
   * that the overlap's finding them again sends nothing).
   */
  public synchronized void sent(Collection<String> eventIds, Instant at) {
    try {
      db.setAutoCommit(false);
      try (PreparedStatement p = db.prepareStatement(
          "UPDATE change_outbox SET sent_at = ?, event = NULL WHERE event_id = ? AND sent_at IS NULL")) {
        for (String id : eventIds) {
          p.setLong(1, at.toEpochMilli());
          p.setString(2, id);
          p.addBatch();
        }
        p.executeBatch();
        db.commit();
      } catch (SQLException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the change journal cannot be written: " + e.getMessage(), e);
    }
  }

  /** Deletes the ids of confirmed events that changed before {@code before}: no scan looks back that far any more. */
  public synchronized int forgetSent(Instant before) {
    try (PreparedStatement p = db.prepareStatement(
        "DELETE FROM change_outbox WHERE sent_at IS NOT NULL AND changed_at < ?")) {
      p.setLong(1, before.toEpochMilli());
      return p.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("the change journal cannot be written: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      // closing: nothing left to lose, every write was committed
    }
  }
}
