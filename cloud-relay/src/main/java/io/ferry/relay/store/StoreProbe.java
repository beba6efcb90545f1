package io.ferry.relay.store;

import io.ferry.protocol.Action;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Small read-only questions to the store that are not about one tenant: how many jobs wait or run (for
 * the queue gauges) and how many agents are online, asked on a timer and never per request; and whether
 * the store answers at all with its schema complete (for {@code /readyz}).
 */
public final class StoreProbe {

  /** The jobs currently QUEUED and LEASED, by action. */
  public record Backlog(Map<Action, Long> queued, Map<Action, Long> leased) {}

  private final Database db;

  StoreProbe(Database db) {
    this.db = db;
  }

  /**
   * The QUEUED and LEASED rows counted by action, one query per state: each reads its state's partial index
   * ({@code jobs_queue}, {@code jobs_leases}), where one query for both states would read the whole table.
   */
  public Backlog backlog() {
    return db.read("count queued and leased jobs", c -> new Backlog(countByAction(c, "QUEUED"),
        countByAction(c, "LEASED")));
  }

  private static Map<Action, Long> countByAction(Connection c, String state) throws SQLException {
    Map<Action, Long> counts = new EnumMap<>(Action.class);
    try (PreparedStatement ps = c.prepareStatement(countByActionQuery(state));
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts.put(Action.fromWireName(rs.getString(1)), rs.getLong(2));
      }
    }
    return counts;
  }

  /** The state is a literal, not a parameter: only then may the planner use the state's partial index. */
  static String countByActionQuery(String state) {
    return "SELECT action, COUNT(*) FROM jobs WHERE state = '" + state + "' GROUP BY action";
  }

  /** Enabled agents of every tenant whose last call was after {@code since}. */
  public long agentsSeenSince(Instant since) {
    return db.read("count online agents", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COUNT(*) FROM agents WHERE last_seen > ? AND disabled_at IS NULL AND left_at IS NULL")) {
        ps.setLong(1, since.toEpochMilli());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getLong(1) : 0L;
        }
      }
    });
  }

  /**
   * Why the store is not ready, or null when it is: it answers a query, and the newest migration this
   * relay knows is the one applied last, with no failed one (another process could have replaced or
   * rolled back the file).
   */
  public String notReady(String expectedSchemaVersion) {
    try {
      return db.read("check the schema", c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT version, success FROM flyway_schema_history "
            + "WHERE version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1");
            ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return "the store has no migrations applied";
          }
          if (!rs.getBoolean(2)) {
            return "migration V" + rs.getString(1) + " of the store failed";
          }
          if (expectedSchemaVersion != null && !expectedSchemaVersion.equals(rs.getString(1))) {
            return "the store's schema is at V" + rs.getString(1) + ", this relay needs V" + expectedSchemaVersion;
          }
          return null;
        }
      });
    } catch (RuntimeException e) {
      return "the store is unreachable (" + e.getMessage() + ")";
    }
  }
}
