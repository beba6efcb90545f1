package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes queued while the writer is busy are committed together, and each stays its own: a failing
 * write is rolled back alone, its caller hears its exception, the others of its group are committed.
 */
class GroupCommitTest {

  @TempDir
  Path dir;
  private Database db;

  @BeforeEach
  void open() {
    db = Database.open(dir.resolve("test.db"));
    db.write("create the table", c -> {
      try (PreparedStatement ps = c.prepareStatement("CREATE TABLE t (name VARCHAR(20) NOT NULL PRIMARY KEY)")) {
        return ps.executeUpdate();
      }
    });
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aFailingWriteIsRolledBackAloneAndTheRestOfItsGroupIsCommitted() throws Exception {
    CountDownLatch writerBusy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // Holds the writer so that the next writes queue up and form one group.
    CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> db.write("hold the writer", c -> {
      writerBusy.countDown();
      await(release);
      return insert(c, "first");
    }));
    assertThat(writerBusy.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Integer>> good = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String name = "good-" + i;
      good.add(CompletableFuture.supplyAsync(() -> db.write("insert " + name, c -> insert(c, name))));
    }
    CompletableFuture<Integer> failing = CompletableFuture.supplyAsync(() -> db.write("insert then fail", c -> {
      insert(c, "rolled-back");
      throw new SQLException("refused on purpose");
    }));
    CompletableFuture<Integer> duplicate = CompletableFuture.supplyAsync(() -> db.write("insert a duplicate",
        c -> insert(c, "good-0")));
    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    for (CompletableFuture<Integer> f : good) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }
    assertThatThrownBy(() -> failing.join()).hasCauseInstanceOf(StoreException.class)
        .hasMessageContaining("could not insert then fail: refused on purpose");
    assertThatThrownBy(() -> duplicate.join()).hasCauseInstanceOf(StoreException.class)
        .hasMessageContaining("could not insert a duplicate");
    assertThat(names()).containsExactlyInAnyOrder("first", "good-0", "good-1", "good-2", "good-3", "good-4");
  }

  @Test
  void aRuntimeExceptionReachesItsCallerAsItIs() {
    assertThatThrownBy(() -> db.write("fail", c -> {
      insert(c, "gone");
      throw new IllegalArgumentException("not a store problem");
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("not a store problem");
    assertThat(names()).isEmpty();
    // A write alone in its group is rolled back with its transaction, which leaves none open for the next one.
    Integer inserted = db.write("next", c -> insert(c, "next"));
    assertThat(inserted).isEqualTo(1);
    assertThat(names()).containsExactly("next");
  }

  @Test
  void aWriteAfterCloseIsRefused() {
    db.close();
    assertThatThrownBy(() -> db.write("late", c -> insert(c, "late"))).isInstanceOf(StoreException.class)
        .hasMessageContaining("the store is closed");
  }

  @Test
  void aWriteInsideAWriteIsRefusedInsteadOfWaitingForItself() {
    assertThatThrownBy(() -> db.write("outer", c -> db.write("inner", c2 -> insert(c2, "x"))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("would wait for itself");
  }

  private List<String> names() {
    return db.read("read names", c -> {
      List<String> names = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT name FROM t"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
      return names;
    });
  }

  private static int insert(java.sql.Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (name) VALUES (?)")) {
      ps.setString(1, name);
      return ps.executeUpdate();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
