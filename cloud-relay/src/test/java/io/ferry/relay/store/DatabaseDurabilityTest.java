package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay answers 201/202 only after the job's transaction committed; these settings make that commit
 * durable: WAL, and synchronous FULL, so the WAL is fsynced at every commit (NORMAL would survive a
 * crash of the relay but could lose the last commits when the machine loses power).
 */
class DatabaseDurabilityTest {

  @TempDir Path dir;

  @Test
  void everyWritingAndReadingConnectionUsesWalWithFullSync() {
    try (Database db = Database.open(dir.resolve("relay.db"))) {
      String writerSync = db.write("read the write connection's settings", c -> pragma(c, "synchronous"));
      String writerJournal = db.write("read the write connection's settings", c -> pragma(c, "journal_mode"));
      String readerSync = db.read("read a read connection's settings", c -> pragma(c, "synchronous"));
      assertThat(writerSync).as("PRAGMA synchronous (2 = FULL)").isEqualTo("2");
      assertThat(writerJournal).isEqualTo("wal");
      assertThat(readerSync).as("PRAGMA synchronous (2 = FULL)").isEqualTo("2");
    }
  }

  private static String pragma(java.sql.Connection c, String name) throws java.sql.SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
