package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A kept statement is reused, and behaves as a fresh one for each user: no read left open on its
 * connection, no parameter left over, nothing kept that failed.
 */
class StatementCacheTest {

  @TempDir
  Path dir;
  private DataSource cached;

  @BeforeEach
  void open() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    SQLiteDataSource ds = new SQLiteDataSource(config);
    ds.setUrl("jdbc:sqlite:" + dir.resolve("test.db").toAbsolutePath());
    cached = StatementCache.around(ds);
    try (Connection c = cached.getConnection(); var s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE t (name TEXT NOT NULL PRIMARY KEY)");
      s.executeUpdate("INSERT INTO t VALUES ('a'), ('b')");
    }
  }

  @Test
  void theSameSqlOnOneConnectionIsPreparedOnce() throws SQLException {
    try (Connection c = cached.getConnection()) {
      PreparedStatement first = c.prepareStatement("SELECT COUNT(*) FROM t");
      first.close();
      PreparedStatement second = c.prepareStatement("SELECT COUNT(*) FROM t");
      assertThat(second).isSameAs(first);
      assertThat(count(second)).isEqualTo(2);
      second.close();
    }
  }

  @Test
  void aStatementHandedBackWithItsRowsUnreadLeavesNoReadOpen() throws SQLException {
    try (Connection reader = cached.getConnection(); Connection writer = cached.getConnection()) {
      PreparedStatement ps = reader.prepareStatement("SELECT name FROM t ORDER BY name");
      ResultSet rs = ps.executeQuery();
      assertThat(rs.next()).isTrue(); // one row of two read; neither the rows nor the statement's reset done by hand
      ps.close();
      try (var s = writer.createStatement()) {
        s.executeUpdate("INSERT INTO t VALUES ('c')");
      }
      // An open read would keep the reader on its old snapshot: two rows.
      try (PreparedStatement again = reader.prepareStatement("SELECT COUNT(*) FROM t")) {
        assertThat(count(again)).isEqualTo(3);
      }
    }
  }

  @Test
  void aStatementHandedBackKeepsNoParameter() throws SQLException {
    try (Connection c = cached.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM t WHERE name = ? OR ? IS NULL")) {
        ps.setString(1, "a");
        ps.setString(2, "x");
        assertThat(count(ps)).isEqualTo(1);
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM t WHERE name = ? OR ? IS NULL")) {
        ps.setString(1, "b");
        // the second parameter not set: NULL as in a fresh statement, not the 'x' of the last user
        assertThat(count(ps)).isEqualTo(2);
      }
    }
  }

  @Test
  void rowsAddedToABatchThatWasNeverExecutedAreNotTheNextUsers() throws SQLException {
    try (Connection c = cached.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?)")) {
        ps.setString(1, "left-over");
        ps.addBatch(); // and then its user fails before executing it
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?)")) {
        ps.setString(1, "e");
        ps.addBatch();
        ps.executeBatch();
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM t WHERE name = 'left-over'")) {
        assertThat(count(ps)).isZero();
      }
    }
  }

  @Test
  void theSameSqlWhileItsStatementIsOpenGetsOneOfItsOwn() throws SQLException {
    try (Connection c = cached.getConnection();
        PreparedStatement outer = c.prepareStatement("SELECT COUNT(*) FROM t");
        PreparedStatement inner = c.prepareStatement("SELECT COUNT(*) FROM t")) {
      assertThat(inner).isNotSameAs(outer);
      assertThat(count(outer)).isEqualTo(2);
      assertThat(count(inner)).isEqualTo(2);
    }
  }

  @Test
  void aStatementThatFailedIsNotKept() throws SQLException {
    try (Connection c = cached.getConnection()) {
      PreparedStatement failed = c.prepareStatement("INSERT INTO t VALUES (?)");
      failed.setString(1, "a");
      assertThatThrownBy(failed::executeUpdate).isInstanceOf(SQLException.class);
      failed.close();
      try (PreparedStatement next = c.prepareStatement("INSERT INTO t VALUES (?)")) {
        assertThat(next).isNotSameAs(failed);
        next.setString(1, "d");
        assertThat(next.executeUpdate()).isEqualTo(1);
      }
    }
  }

  @Test
  void aStatementHandedBackCannotBeUsedThroughTheOldHandle() throws SQLException {
    try (Connection c = cached.getConnection()) {
      PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM t");
      ps.close();
      assertThat(ps.isClosed()).isTrue();
      assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class);
    }
  }

  private static int count(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
