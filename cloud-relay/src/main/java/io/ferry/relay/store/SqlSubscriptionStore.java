package io.ferry.relay.store;

import static io.ferry.relay.store.Rows.instant;
import static io.ferry.relay.store.Rows.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@link SubscriptionStore} in the relay's database (V15). */
final class SqlSubscriptionStore implements SubscriptionStore {

  private static final String COLUMNS = "id, tenant_id, api_key_id, events, url, created_at, status, disabled_reason, "
      + "position, delivered, failed_attempts, attempts, last_delivered_at, last_error, failing_since, next_attempt_at";
  /** Enough for an error line; an answer's body is never stored. */
  private static final int MAX_ERROR = 500;

  private final Database db;

  SqlSubscriptionStore(Database db) {
    this.db = db;
  }

  @Override
  public Subscription create(String id, String tenantId, String apiKeyId, Set<String> events, String url,
      Instant now) {
    String joined = String.join(",", new TreeSet<>(events));
    db.write("create a subscription", c -> {
      long end = 0;
      try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM change_sequences WHERE tenant_id = ?")) {
        ps.setString(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            end = rs.getLong(1);
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO subscriptions (id, tenant_id, api_key_id, events, "
          + "url, created_at, status, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, id);
        ps.setString(2, tenantId);
        ps.setString(3, apiKeyId);
        ps.setString(4, joined);
        ps.setString(5, url);
        ps.setLong(6, now.toEpochMilli());
        ps.setString(7, Subscription.ACTIVE);
        ps.setLong(8, end);
        ps.executeUpdate();
      }
      return null;
    });
    return find(tenantId, id).orElseThrow(() -> new StoreException("a subscription just stored was not found", null));
  }

  @Override
  public Optional<Subscription> find(String tenantId, String id) {
    return db.read("read a subscription", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM subscriptions WHERE tenant_id = ? AND id = ?")) {
        ps.setString(1, tenantId);
        ps.setString(2, id);
        List<Subscription> found = rows(ps);
        return found.stream().findFirst();
      }
    });
  }

  @Override
  public List<Subscription> list(String tenantId) {
    return db.read("list subscriptions", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM subscriptions WHERE tenant_id = ? ORDER BY created_at, id")) {
        ps.setString(1, tenantId);
        return rows(ps);
      }
    });
  }

  @Override
  public boolean delete(String tenantId, String id) {
    return db.writeStatement("delete a subscription", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM subscriptions WHERE tenant_id = ? AND id = ?")) {
        ps.setString(1, tenantId);
        ps.setString(2, id);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public List<Subscription> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
    List<Subscription> candidates = db.read("find due subscriptions", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM subscriptions WHERE status = ? "
          + "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND (lease_until IS NULL OR lease_until < ?) "
          // Only one with changes past its position: the tick looks every second, and a lease taken and given
          // back for nothing would be two writes per subscription and second.
          + "AND position < (SELECT MAX(cs.last_seq) FROM change_sequences cs WHERE cs.tenant_id = subscriptions.tenant_id) "
          + "ORDER BY id LIMIT ?")) {
        ps.setString(1, Subscription.ACTIVE);
        ps.setLong(2, now.toEpochMilli());
        ps.setLong(3, now.toEpochMilli());
        ps.setInt(4, limit);
        return rows(ps);
      }
    });
    List<Subscription> claimed = new ArrayList<>();
    for (Subscription s : candidates) {
      // Conditional on the lease still being free: of two relays that read the row, one UPDATE matches it.
      boolean won = db.writeStatement("claim a subscription", c -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE subscriptions SET lease_owner = ?, lease_until = ? "
            + "WHERE id = ? AND status = ? AND (lease_until IS NULL OR lease_until < ?)")) {
          ps.setString(1, owner);
          ps.setLong(2, leaseUntil.toEpochMilli());
          ps.setString(3, s.id());
          ps.setString(4, Subscription.ACTIVE);
          ps.setLong(5, now.toEpochMilli());
          return ps.executeUpdate() == 1;
        }
      });
      if (won) {
        claimed.add(s);
      }
    }
    return claimed;
  }

  @Override
  public void release(String id, String owner) {
    db.writeStatement("release a subscription", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE subscriptions SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")) {
        ps.setString(1, id);
        ps.setString(2, owner);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public boolean advance(String id, String owner, long position, int delivered, Instant deliveredAt) {
    return db.writeStatement("advance a subscription", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE subscriptions SET position = ?, "
          + "delivered = delivered + ?, last_delivered_at = CASE WHEN ? > 0 THEN ? ELSE last_delivered_at END, "
          + "attempts = 0, failing_since = NULL, next_attempt_at = NULL, last_error = NULL "
          + "WHERE id = ? AND lease_owner = ? AND position < ?")) {
        ps.setLong(1, position);
        ps.setInt(2, delivered);
        ps.setInt(3, delivered);
        ps.setLong(4, deliveredAt.toEpochMilli());
        ps.setString(5, id);
        ps.setString(6, owner);
        ps.setLong(7, position);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean failed(String id, String owner, String error, Instant at, Instant nextAttemptAt) {
    String shortError = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
    return db.writeStatement("record a failed delivery", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE subscriptions SET attempts = attempts + 1, "
          + "failed_attempts = failed_attempts + 1, last_error = ?, failing_since = COALESCE(failing_since, ?), "
          + "next_attempt_at = ? WHERE id = ? AND lease_owner = ?")) {
        ps.setString(1, shortError);
        ps.setLong(2, at.toEpochMilli());
        setInstant(ps, 3, nextAttemptAt);
        ps.setString(4, id);
        ps.setString(5, owner);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public void disable(String id, String reason, Instant at) {
    db.writeStatement("disable a subscription", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE subscriptions SET status = ?, disabled_reason = ?, "
          + "next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL WHERE id = ?")) {
        ps.setString(1, Subscription.DISABLED);
        ps.setString(2, reason);
        ps.setString(3, id);
        return ps.executeUpdate();
      }
    });
  }

  private static List<Subscription> rows(PreparedStatement ps) throws SQLException {
    List<Subscription> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Subscription(rs.getString(1), rs.getString(2), rs.getString(3),
            List.of(rs.getString(4).split(",")), rs.getString(5), instant(rs, 6), rs.getString(7), rs.getString(8),
            rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getInt(12), instant(rs, 13), rs.getString(14),
            instant(rs, 15), instant(rs, 16)));
      }
    }
    return out;
  }
}
