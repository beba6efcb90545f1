package io.ferry.relay.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears what the other relay instances on the same PostgreSQL database did: one dedicated connection
 * (not from the pool: LISTEN belongs to a session) that waits in {@link PGConnection#getNotifications(int)},
 * so a wake-up costs no polling. When the connection breaks it is made again, and {@link JobEvents#resync()}
 * covers what was said meanwhile.
 */
final class PgNotifications implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PgNotifications.class);
  private static final char SEP = '\t';
  /** How long one wait for notifications lasts before the thread looks whether it should stop. */
  private static final int WAIT_MS = 1_000;
  private static final long MAX_BACKOFF_MS = 10_000;

  private final StoreSettings settings;
  private final String instanceId;
  private final JobEvents events;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection connection;

  private PgNotifications(StoreSettings settings, String instanceId, JobEvents events) {
    this.settings = settings;
    this.instanceId = instanceId;
    this.events = events;
    this.thread = new Thread(this::run, "ferry-pg-listen");
    this.thread.setDaemon(true);
  }

  /** Connects and LISTENs before it returns (so nothing committed after this is missed), then listens on. */
  static PgNotifications start(StoreSettings settings, String instanceId, JobEvents events) {
    PgNotifications n = new PgNotifications(settings, instanceId, events);
    try {
      n.connection = n.connect();
    } catch (SQLException e) {
      throw new StoreException("could not LISTEN on PostgreSQL at " + StoreSettings.redact(settings.jdbcUrl())
          + ": " + e.getMessage(), e);
    }
    n.thread.start();
    return n;
  }

  static String queuedPayload(String instanceId, String tenantId, String agentGroup) {
    return instanceId + SEP + tenantId + SEP + (agentGroup == null ? "" : agentGroup);
  }

  static String endedPayload(String instanceId, String jobId) {
    return instanceId + SEP + jobId;
  }

  static String agentLeftPayload(String instanceId, String tenantId, String agentId, java.time.Instant at) {
    return instanceId + SEP + tenantId + SEP + agentId + SEP + at.toEpochMilli();
  }

  private Connection connect() throws SQLException {
    Properties props = new Properties();
    if (settings.user() != null) {
      props.setProperty("user", settings.user());
    }
    if (settings.password() != null) {
      props.setProperty("password", settings.password());
    }
    props.setProperty("ApplicationName", "ferry-relay-listen");
    // Keep-alives notice a connection that died silently (a failed-over database, a dropped NAT entry).
    props.setProperty("tcpKeepAlive", "true");
    Connection c = DriverManager.getConnection(settings.jdbcUrl(), props);
    try (Statement st = c.createStatement()) {
      st.execute("LISTEN " + Dialect.QUEUED_CHANNEL);
      st.execute("LISTEN " + Dialect.ENDED_CHANNEL);
      st.execute("LISTEN " + Dialect.AGENT_LEFT_CHANNEL);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void run() {
    long backoff = 500;
    while (!closed) {
      Connection c = connection;
      try {
        if (c == null) {
          c = connect();
          connection = c;
          LOG.info("listening to the other relays on PostgreSQL again");
          events.resync(); // what they said while this relay was not listening
          backoff = 500;
        }
        PGNotification[] notes = c.unwrap(PGConnection.class).getNotifications(WAIT_MS);
        if (notes != null) {
          for (PGNotification n : notes) {
            dispatch(n.getName(), n.getParameter());
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("lost the PostgreSQL connection that hears the other relays ({}); connecting again in {} ms",
            e.getMessage(), backoff);
        closeQuietly(c);
        connection = null;
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
  }

  private void dispatch(String channel, String payload) {
    String[] parts = payload.split(String.valueOf(SEP), -1);
    if (parts.length < 2 || parts[0].equals(instanceId)) {
      return; // this relay's own change: it woke its own waiters already
    }
    try {
      if (Dialect.QUEUED_CHANNEL.equals(channel) && parts.length == 3) {
        events.queued(parts[1], parts[2].isEmpty() ? null : parts[2]);
      } else if (Dialect.ENDED_CHANNEL.equals(channel)) {
        events.ended(parts[1]);
      } else if (Dialect.AGENT_LEFT_CHANNEL.equals(channel) && parts.length == 4) {
        events.agentLeft(parts[1], parts[2], java.time.Instant.ofEpochMilli(Long.parseLong(parts[3])));
      }
    } catch (RuntimeException e) {
      LOG.warn("could not pass on a notification of another relay ({}): {}", channel, e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(WAIT_MS * 2L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing a broken connection: nothing more to do
      }
    }
  }
}
