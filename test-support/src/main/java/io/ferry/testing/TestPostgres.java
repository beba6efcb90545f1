package io.ferry.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh, uniquely named database, dropped on close, on the PostgreSQL the tests start themselves from
 * embedded binaries ({@link LocalPostgres}); FERRY_TEST_PG_HOST, FERRY_TEST_PG_USER and
 * FERRY_TEST_PG_PASSWORD name another server instead. When it cannot be reached the test fails and says
 * why: these tests are the proof that several relays work, so they never skip. Public for cli's end-to-end
 * and chaos tests (through this module's test jar).
 */
public final class TestPostgres implements AutoCloseable {

  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final String USER = env("FERRY_TEST_PG_USER", LocalPostgres.USER);
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
      throw new AssertionError("could not create a test database on " + LocalPostgres.describe() + " as user "
          + USER + ": " + e.getMessage(),
          e);
    }
    return new TestPostgres(name);
  }

  /** {@code host:port} of the tests' PostgreSQL (started on first use), for tools that make databases themselves. */
  public static String server() {
    return LocalPostgres.hostAndPort();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + LocalPostgres.hostAndPort() + "/" + name;
  }

  /** Who the tests log in as (FERRY_TEST_PG_USER, else the embedded server's user). */
  public String user() {
    return USER;
  }

  /** FERRY_TEST_PG_PASSWORD, or null (the embedded server trusts loopback). */
  public String password() {
    return PASSWORD;
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
    return DriverManager.getConnection("jdbc:postgresql://" + LocalPostgres.hostAndPort() + "/postgres", p);
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
