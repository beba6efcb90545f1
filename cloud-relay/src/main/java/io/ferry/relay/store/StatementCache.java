package io.ferry.relay.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * SQLite connections that keep their prepared statements. sqlite-jdbc compiles the SQL on every
 * {@code prepareStatement} and neither it nor Hikari caches anything, so the relay compiled every statement
 * of every job anew: about a tenth of its CPU. Here each physical connection keeps what it prepared, keyed
 * by the SQL text, and a statement's {@code close()} hands it back instead of finalising it.
 *
 * <p>The cache sits under Hikari (it wraps the driver's data source), so Hikari's own proxies still track
 * and close statements as they always did; the cache lives and dies with the physical connection.
 * Handing a statement back resets it (its result set closed, so no read transaction stays open on the
 * connection) and clears its parameters and batch, so the next user starts as with a fresh one. A statement that
 * threw is finalised, not kept; the same SQL asked for while its cached statement is still open gets a
 * fresh one of its own; at most {@link #PER_CONNECTION} statements are kept per connection, the least
 * recently used finalised first.
 *
 * <p>Only for SQLite: PostgreSQL's driver already keeps its parsed statements per connection and
 * switches to server-side prepared statements after a few uses ({@code prepareThreshold}).
 */
final class StatementCache {

  /** Statements kept per connection: every statement of the store with room to spare for built SQL. */
  static final int PER_CONNECTION = 128;

  private StatementCache() {}

  /** {@code sqlite}'s connections, each with its own statement cache. */
  static DataSource around(DataSource sqlite) {
    return proxy(DataSource.class, (proxy, method, args) -> {
      Object result = call(sqlite, method, args);
      return result instanceof Connection c ? Caching.connection(c) : result;
    });
  }

  /** One physical connection and the statements it keeps. Used by one thread at a time (the pool's rule). */
  private static final class Caching implements InvocationHandler {

    private final Connection connection;
    private final Map<String, Kept> kept = new LinkedHashMap<>(32, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
        if (size() <= PER_CONNECTION) {
          return false;
        }
        eldest.getValue().evicted();
        return true;
      }
    };

    private Caching(Connection connection) {
      this.connection = connection;
    }

    static Connection connection(Connection physical) {
      return proxy(Connection.class, new Caching(physical));
    }

    @Override
    public synchronized Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "prepareStatement" -> {
          if (args.length == 1) {
            return prepare((String) args[0]);
          }
        }
        case "close" -> {
          kept.values().forEach(Kept::evicted);
          kept.clear();
        }
        case "equals" -> {
          return proxy == args[0];
        }
        case "hashCode" -> {
          return System.identityHashCode(proxy);
        }
        default -> { }
      }
      return call(connection, method, args);
    }

    private PreparedStatement prepare(String sql) throws SQLException {
      Kept k = kept.get(sql);
      if (k != null && k.inUse) {
        return connection.prepareStatement(sql); // the same SQL nested inside itself: one of its own
      }
      if (k == null) {
        k = new Kept(this, sql, connection.prepareStatement(sql));
        kept.put(sql, k);
      }
      k.inUse = true;
      return k.handle;
    }

    synchronized void handBack(Kept k, boolean keep) {
      k.inUse = false;
      if (!keep && kept.get(k.sql) == k) {
        kept.remove(k.sql);
      }
    }
  }

  /** A kept statement: the driver's, and the handle its users get, whose close hands it back. */
  private static final class Kept implements InvocationHandler {

    private final Caching owner;
    private final String sql;
    private final PreparedStatement statement;
    private final PreparedStatement handle;
    private boolean inUse;
    private boolean evicted;
    private boolean failed;
    private ResultSet results;

    Kept(Caching owner, String sql, PreparedStatement statement) {
      this.owner = owner;
      this.sql = sql;
      this.statement = statement;
      this.handle = proxy(PreparedStatement.class, this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "close" -> {
          if (inUse) {
            handBack();
          }
          return null;
        }
        case "isClosed" -> {
          return !inUse;
        }
        case "equals" -> {
          return proxy == args[0];
        }
        case "hashCode" -> {
          return System.identityHashCode(proxy);
        }
        default -> { }
      }
      if (!inUse) {
        throw new SQLException("statement is closed");
      }
      try {
        Object result = call(statement, method, args);
        if (result instanceof ResultSet rs) {
          results = rs;
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        failed = true; // a statement in an unknown state is not reused
        throw e;
      }
    }

    /** Resets the statement for its next user, or finalises it when it cannot be trusted or is no longer kept. */
    private void handBack() {
      boolean keep = !failed && !evicted;
      try {
        if (results != null) {
          results.close(); // resets the statement: no read stays open on the connection
          results = null;
        }
        if (keep) {
          statement.clearParameters();
          statement.clearBatch(); // rows a user added and never executed (it threw in between) are not the next's
        }
      } catch (SQLException e) {
        keep = false;
      }
      if (!keep) {
        closeQuietly();
      }
      owner.handBack(this, keep);
    }

    /** No longer in the cache: finalised now, or when its user hands it back. */
    void evicted() {
      evicted = true;
      if (!inUse) {
        closeQuietly();
      }
    }

    private void closeQuietly() {
      try {
        statement.close();
      } catch (SQLException e) {
        // finalising a statement of a broken connection: the connection is closed anyway
      }
    }
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return type.cast(Proxy.newProxyInstance(StatementCache.class.getClassLoader(), new Class<?>[] {type}, handler));
  }
}
