package io.ferry.e2e;

import io.ferry.relay.store.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A fresh database on the machine's PostgreSQL (127.0.0.1:5432, user postgres, trust authentication;
 * FERRY_TEST_PG_HOST/USER/PASSWORD change that), dropped on close. Unreachable PostgreSQL fails the test
 * with how to start it. (The relay module's tests have the same helper; test classes do not cross modules. Public
 * for the chaos test's PostgreSQL mode in io.ferry.chaos.)
 */
public final class TestPostgres implements AutoCloseable {

  private static final String HOST = env("FERRY_TEST_PG_HOST", "127.0.0.1:5432");
  private static final String USER = env("FERRY_TEST_PG_USER", "postgres");
  private static final String PASSWORD = System.getenv("FERRY_TEST_PG_PASSWORD");

  private final String name;

  private TestPostgres(String name) {
    this.name = name;
  }

  public static TestPostgres create() {
    String name = "ferry_test_e2e_" + ProcessHandle.current().pid() + "_" + Long.toString(System.nanoTime(), 36);
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

  public StoreSettings settings() {
    return StoreSettings.postgres("jdbc:postgresql://" + HOST + "/" + name, USER, PASSWORD);
  }

  @Override
  public void close() {
    try (Connection c = admin(); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new AssertionError("could not drop test database " + name + ": " + e.getMessage(), e);
    }
  }

  private static Connection admin() throws SQLException {
    Properties p = new Properties();
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
