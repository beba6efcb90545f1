package io.ferry.relay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AuditStore} in the relay's database. The jobs' own events are written by {@link SqlJobStore} and
 * {@link SqlJobAdminStore} through {@link #audit}, in the transaction that queues or ends the job.
 */
final class SqlAuditStore implements AuditStore {

  /** Who the audit log names for what the relay does by itself (the reaper). */
  static final String RELAY = "relay";

  private final Database db;

  SqlAuditStore(Database db) {
    this.db = db;
  }

  /** Appends one audit event in the caller's transaction. The only statement that touches the table. */
  static void audit(Connection c, AuditEvent e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO audit_events (id, at, tenant_id, actor, action, subject, outcome, detail) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, e.id());
      ps.setLong(2, e.at().toEpochMilli());
      ps.setString(3, e.tenantId());
      ps.setString(4, e.actor());
      ps.setString(5, e.action());
      ps.setString(6, e.subject());
      ps.setString(7, e.outcome());
      ps.setString(8, e.detail());
      ps.executeUpdate();
    }
  }

  @Override
  public void append(AuditEvent event) {
    db.write("append an audit event", c -> {
      audit(c, event);
      return null;
    });
  }

  @Override
  public List<AuditEvent> auditEvents(String tenantId, Instant since, String action, String afterId, int limit) {
    StringBuilder sql = new StringBuilder(
        "SELECT id, at, tenant_id, actor, action, subject, outcome, detail FROM audit_events WHERE tenant_id = ?");
    List<Object> args = new ArrayList<>();
    args.add(tenantId);
    if (since != null) {
      sql.append(" AND at >= ?");
      args.add(since.toEpochMilli());
    }
    if (action != null) {
      sql.append(" AND action = ?");
      args.add(action);
    }
    if (afterId != null) {
      sql.append(" AND id > ?");
      args.add(afterId);
    }
    sql.append(" ORDER BY id LIMIT ?");
    args.add(limit);
    return db.read("read the audit log", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        List<AuditEvent> events = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            events.add(new AuditEvent(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
          }
        }
        return events;
      }
    });
  }
}
