package io.ferry.relay.store;

import io.ferry.protocol.Action;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Columns every part of the store reads and writes alike: instants (epoch milliseconds, null as NULL) and a
 * job's row, which the job queue, its administration and the batches all read.
 */
final class Rows {

  static final String JOB_COLUMNS = "id, tenant_id, agent_group, action, state, attempt, request_json, "
      + "result_json, error_json, traceparent, created_at, deadline, lease_expires_at, leased_by, finished_at, "
      + "api_key_id, callback_url";

  private Rows() {}

  static List<Job> jobs(PreparedStatement ps) throws SQLException {
    List<Job> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(job(rs));
      }
    }
    return out;
  }

  /** The job of the current row, read from the first columns ({@link #JOB_COLUMNS}). */
  static Job job(ResultSet rs) throws SQLException {
    return new Job(
            rs.getString(1),
            rs.getString(2),
            rs.getString(3),
            Action.fromWireName(rs.getString(4)),
            JobState.valueOf(rs.getString(5)),
            rs.getInt(6),
            rs.getString(7),
            rs.getString(8),
            rs.getString(9),
            rs.getString(10),
            instant(rs, 11),
            instant(rs, 12),
            instant(rs, 13),
            rs.getString(14),
            instant(rs, 15),
            rs.getString(16),
            rs.getString(17));
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  static void setInstant(PreparedStatement ps, int index, Instant v) throws SQLException {
    if (v == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, v.toEpochMilli());
    }
  }
}
