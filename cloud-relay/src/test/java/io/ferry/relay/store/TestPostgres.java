package io.ferry.relay.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh, uniquely named database on the machine's PostgreSQL (127.0.0.1:5432, user postgres, trust
 * authentication; FERRY_TEST_PG_HOST, FERRY_TEST_PG_USER and FERRY_TEST_PG_PASSWORD change that), dropped
 * on close. When PostgreSQL cannot be reached the test fails and says how to start it: these tests are
 * the proof that several relays work, so they never skip silently.
 */
public final class TestPostgres implements AutoCloseable {

  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final String HOST = env("FERRY_TEST_PG_HOST", "127.0.0.1:5432");
  private static final String USER = env("FERRY_TEST_PG_USER", "postgres");
  private static final String PASSWORD = System.getenv("FERRY_TEST_PG_PASSWORD");

  private final String name;

  private TestPostgres(String name) {
    this.name = name;
  }

  /** Creates {@code ferry_test_<prefix>_<pid>_<n>}. */
  public static TestPostgres create(String prefix) {
    String name = ("ferry_test_" + prefix + "_" + ProcessHandle.current().pid() + "_" + COUNT.incrementAndGet()
        + "_" + Long.toString(System.nanoTime() & 0xffffff, 36)).toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9_]", "_");
    try (Connection c = admin(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new AssertionError("PostgreSQL is not reachable at " + HOST + " as user " + USER + " (" + e.getMessage()
          + "). These tests need it: start it with `bash .ci/run` (which installs and starts it on Debian), or "
          + "`apt-get install -y postgresql && pg_ctlcluster $(ls /etc/postgresql) main start`, with trust "
          + "authentication for " + USER + " on 127.0.0.1; or point FERRY_TEST_PG_HOST/USER/PASSWORD at another one.",
          e);
    }
    return new TestPostgres(name);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + "/" + name;
  }

  public StoreSettings settings() {
    return StoreSettings.postgres(jdbcUrl(), USER, PASSWORD);
  }

  /** Drops the database, closing what is still connected to it (a relay the test stopped abruptly). */
  @Override
  public void close() {
    try (Connection c = admin(); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new AssertionError("could not drop test database " + name + ": " + e.getMessage(), e);
    }
  }

  private static Connection admin() throws SQLException {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", USER);
    if (PASSWORD != null) {
      p.setProperty("password", PASSWORD);
    }
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection("jdbc:postgresql://" + HOST + "/postgres", p);
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
