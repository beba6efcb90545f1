package io.ferry.relay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

/**
 * SQLite's writes, run by one writer thread with group commit: the writes queued while a commit waits
 * for the disk run next in one transaction, each in its own savepoint (a write alone needs none), and are committed together. A
 * commit waits for the disk (synchronous=FULL), several milliseconds on ordinary storage; one commit for
 * many writes is what lets the relay take more jobs per second than its disk takes commits. Each caller
 * still returns only once its write is committed, and a write that fails is rolled back to its savepoint
 * alone: the others in its group are not affected.
 *
 * <p>Only for SQLite, which has one writer at a time anyway. PostgreSQL runs writers side by side.
 */
final class GroupCommit implements AutoCloseable {

  /** Writes committed together at most: bounds one transaction's size and its callers' wait. */
  static final int MAX_GROUP = 256;

  /** One queued write and the caller's future of its result. */
  private record Pending<T>(String what, Database.SqlWork<T> work, CompletableFuture<T> result) {}

  private final DataSource writer;
  private final BlockingQueue<Pending<?>> writes = new LinkedBlockingQueue<>();
  private final Thread writerThread;
  /** Orders queuing against closing: every write queued before the stop is run before the writer stops. */
  private final Object queueing = new Object();
  private volatile boolean closed;

  GroupCommit(DataSource writer) {
    this.writer = writer;
    this.writerThread = Thread.ofPlatform().name("ferry-relay-db-writer").daemon().unstarted(this::writeLoop);
    writerThread.start();
  }

  /**
   * Runs {@code work} in a write transaction (possibly shared with other writes, each in its own
   * savepoint), committed before this returns. A failing {@code work} is rolled back and its exception
   * thrown here: a {@link SQLException} as a {@link StoreException}, anything else as it is.
   */
  <T> T write(String what, Database.SqlWork<T> work) {
    if (Thread.currentThread() == writerThread) {
      throw new IllegalStateException("a write inside a write (" + what + ") would wait for itself");
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    synchronized (queueing) {
      if (closed) {
        throw new StoreException("could not " + what + ": the store is closed", null);
      }
      writes.add(new Pending<>(what, work, result));
    }
    try {
      return result.join(); // not interruptible, as the JDBC call it replaces
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException sql) {
        throw new StoreException("could not " + what + ": " + sql.getMessage(), sql);
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new StoreException("could not " + what + ": " + cause, cause);
    }
  }

  private void writeLoop() {
    List<Pending<?>> group = new ArrayList<>();
    while (true) {
      try {
        group.add(writes.take());
      } catch (InterruptedException e) {
        break; // close(): what is still queued is failed there
      }
      writes.drainTo(group, MAX_GROUP - 1);
      boolean stop = group.removeIf(p -> p.work() == null); // close()'s stop comes after every queued write
      if (!group.isEmpty()) {
        commitGroup(group);
      }
      group.clear();
      if (stop) {
        break;
      }
    }
  }

  /**
   * Runs the group in one transaction, each write in a savepoint when there are several; completes every caller after
   * the commit. The transaction is begun and ended with statements the connection keeps prepared
   * ({@link StatementCache}), not with the driver's auto-commit switch: that ran four statements per group, each
   * parsed anew (BEGIN at the switch, COMMIT and a new BEGIN at the commit, COMMIT at the switch back), and a
   * savepoint's name was formatted and its statement parsed for every write.
   */
  private void commitGroup(List<Pending<?>> group) {
    Object[] results = new Object[group.size()];
    Throwable[] failures = new Throwable[group.size()];
    try (Connection c = writer.getConnection()) {
      run(c, "BEGIN IMMEDIATE");
      try {
        boolean anyWritten = false;
        if (group.size() == 1) {
          // Alone in its transaction: rolling that back rolls back this write alone, no savepoint needed.
          try {
            results[0] = group.get(0).work().run(c);
            anyWritten = true;
          } catch (SQLException | RuntimeException e) {
            failures[0] = e;
          }
        } else {
          for (int i = 0; i < group.size(); i++) {
            run(c, "SAVEPOINT write");
            try {
              results[i] = group.get(i).work().run(c);
              run(c, "RELEASE write");
              anyWritten = true;
            } catch (SQLException | RuntimeException e) {
              failures[i] = e;
              run(c, "ROLLBACK TO write");
              run(c, "RELEASE write");
            }
          }
        }
        run(c, anyWritten ? "COMMIT" : "ROLLBACK");
      } catch (SQLException | RuntimeException | Error e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException | RuntimeException | Error e) {
      // Nothing of the group is committed: every caller hears it.
      for (Pending<?> p : group) {
        p.result().completeExceptionally(e);
      }
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      complete(group.get(i), results[i], failures[i]);
    }
  }

  /** One statement of the transaction's frame, prepared once per connection (the cache keeps it). */
  private static void run(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.execute();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Pending<T> p, Object result, Throwable failure) {
    if (failure != null) {
      p.result().completeExceptionally(failure);
    } else {
      p.result().complete((T) result);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      run(c, "ROLLBACK");
    } catch (SQLException e) {
      // the connection is broken; the pool replaces it
    }
  }

  /** Lets queued writes finish (bounded wait); what is left fails with "the store is closed". */
  @Override
  public void close() {
    synchronized (queueing) {
      if (closed) {
        return;
      }
      closed = true;
      writes.add(new Pending<>("stop", null, new CompletableFuture<>()));
    }
    try {
      writerThread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writerThread.interrupt();
    Pending<?> left;
    while ((left = writes.poll()) != null) {
      left.result().completeExceptionally(new StoreException("could not " + left.what() + ": the store is closed",
          null));
    }
  }
}
