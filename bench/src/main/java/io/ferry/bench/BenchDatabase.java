package io.ferry.bench;

import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.store.StoreSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The PostgreSQL store of modes (c): a fresh database of this run ({@code ferry_bench_<pid>_<time>}) on the
 * server {@code --pg-host} as {@code --pg-user} (password from FERRY_BENCH_PG_PASSWORD), created before
 * the relays start and dropped after they stop, so every run starts from an empty store and leaves nothing.
 */
final class BenchDatabase implements Backing {

  static final String PASSWORD_ENV = "FERRY_BENCH_PG_PASSWORD";

  private final Settings.Postgres server;
  private final String name;

  private BenchDatabase(Settings.Postgres server, String name) {
    this.server = server;
    this.name = name;
  }

  static BenchDatabase create(Path dir, Settings settings) throws Backing.Unreachable {
    Settings.Postgres server = settings.postgres();
    String name = "ferry_bench_" + ProcessHandle.current().pid() + "_" + Long.toString(System.currentTimeMillis(), 36);
    try (Connection c = admin(server); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new Backing.Unreachable("PostgreSQL is not reachable at " + server.host() + " as user " + server.user()
          + " (" + e.getMessage() + "). Start it (on Debian: `bash .ci/run`, or `pg_ctlcluster $(ls /etc/postgresql) "
          + "main start` with trust authentication on 127.0.0.1), point --pg-host and --pg-user (and "
          + PASSWORD_ENV + ") at a server where that user may create databases, or leave "
          + Modes.POSTGRES + " and " + Modes.POSTGRES_TWO_RELAYS + " out of --modes", e);
    }
    return new BenchDatabase(server, name);
  }

  @Override
  public RelayConfig relay(RelayConfig config) {
    return config.toBuilder()
        .store(StoreSettings.postgres("jdbc:postgresql://" + server.host() + "/" + name, server.user(), server.password()))
        .build();
  }

  /** Drops the database, with whatever is still connected to it. */
  @Override
  public void close() throws SQLException {
    try (Connection c = admin(server); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  private static Connection admin(Settings.Postgres server) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", server.user());
    if (server.password() != null) {
      p.setProperty("password", server.password());
    }
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection("jdbc:postgresql://" + server.host() + "/postgres", p);
  }
}
