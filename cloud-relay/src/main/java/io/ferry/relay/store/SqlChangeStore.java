package io.ferry.relay.store;

import static io.ferry.relay.store.Rows.instant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ChangeStore} in the relay's database. Numbers come from the tenant's row of {@code change_sequences},
 * locked for the writing transaction (see V14): one tenant's changes are numbered in commit order without gaps,
 * whichever relay sharing the database stores them.
 */
final class SqlChangeStore implements ChangeStore {

  private final Database db;
  private final Dialect dialect;

  SqlChangeStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  @Override
  public Added add(String tenantId, List<NewChange> changes, Instant receivedAt) {
    if (changes.isEmpty()) {
      return new Added(0, 0);
    }
    return db.write("store customer changes", c -> {
      long last = lockSequence(c, tenantId);
      int added = 0;
      int repeated = 0;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO customer_changes (tenant_id, seq, event_id, type, "
          + "customer_number, external_id, changed_at, customer_json, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
          + "ON CONFLICT (tenant_id, event_id) DO NOTHING")) {
        for (NewChange change : changes) {
          ps.setString(1, tenantId);
          ps.setLong(2, last + 1);
          ps.setString(3, change.eventId());
          ps.setString(4, change.type());
          ps.setString(5, change.customerNumber());
          ps.setString(6, change.externalId());
          ps.setLong(7, change.changedAt().toEpochMilli());
          ps.setString(8, change.customerJson());
          ps.setLong(9, receivedAt.toEpochMilli());
          // One at a time, not a JDBC batch: whether each row went in decides the next number.
          if (ps.executeUpdate() == 1) {
            last++;
            added++;
          } else {
            repeated++;
          }
        }
      }
      if (added > 0) {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE change_sequences SET last_seq = ? WHERE tenant_id = ?")) {
          ps.setLong(1, last);
          ps.setString(2, tenantId);
          ps.executeUpdate();
        }
      }
      return new Added(added, repeated);
    });
  }

  /** The tenant's last number, its row created when missing and locked until the caller's transaction ends. */
  private long lockSequence(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO change_sequences (tenant_id, last_seq, pruned_through) VALUES (?, 0, 0) "
            + "ON CONFLICT (tenant_id) DO NOTHING")) {
      ps.setString(1, tenantId);
      ps.executeUpdate();
    }
    // On PostgreSQL FOR UPDATE waits for another writer of the tenant and then reads what it committed.
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT last_seq FROM change_sequences WHERE tenant_id = ?" + dialect.forUpdate)) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("change_sequences has no row for the tenant after inserting one");
        }
        return rs.getLong(1);
      }
    }
  }

  @Override
  public Page after(String tenantId, long afterSeq, int limit) {
    return db.read("read customer changes", c -> {
      long prunedThrough = 0;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT pruned_through FROM change_sequences WHERE tenant_id = ?")) {
        ps.setString(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            prunedThrough = rs.getLong(1);
          }
        }
      }
      List<StoredChange> changes = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT seq, event_id, type, customer_number, external_id, "
          + "changed_at, customer_json, received_at FROM customer_changes WHERE tenant_id = ? AND seq > ? "
          + "ORDER BY seq LIMIT ?")) {
        ps.setString(1, tenantId);
        ps.setLong(2, afterSeq);
        ps.setInt(3, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            changes.add(new StoredChange(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), instant(rs, 6), rs.getString(7), instant(rs, 8)));
          }
        }
      }
      return new Page(changes, prunedThrough);
    });
  }

  @Override
  public long last(String tenantId) {
    return db.read("read the newest customer change's number", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM change_sequences WHERE tenant_id = ?")) {
        ps.setString(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getLong(1) : 0L;
        }
      }
    });
  }

  @Override
  public int prune(Instant cutoff) {
    return db.write("prune customer changes", c -> {
      List<String> tenants = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id FROM change_sequences");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tenants.add(rs.getString(1));
        }
      }
      int deleted = 0;
      for (String tenantId : tenants) {
        deleted += prune(c, tenantId, cutoff);
      }
      return deleted;
    });
  }

  /**
   * First what the tenant loses is recorded (so a cursor before it is told), then its changes through that
   * number go: one received later but numbered earlier goes with them, so a feed never has a hole.
   */
  private int prune(Connection c, String tenantId, Instant cutoff) throws SQLException {
    long through;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT MAX(seq) FROM customer_changes WHERE tenant_id = ? AND received_at < ?")) {
      ps.setString(1, tenantId);
      ps.setLong(2, cutoff.toEpochMilli());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        through = rs.getLong(1);
        if (rs.wasNull()) {
          return 0;
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE change_sequences SET pruned_through = ? WHERE tenant_id = ? AND pruned_through < ?")) {
      ps.setLong(1, through);
      ps.setString(2, tenantId);
      ps.setLong(3, through);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM customer_changes WHERE tenant_id = ? AND seq <= ?")) {
      ps.setString(1, tenantId);
      ps.setLong(2, through);
      return ps.executeUpdate();
    }
  }
}
