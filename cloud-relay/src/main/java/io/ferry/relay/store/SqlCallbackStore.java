package io.ferry.relay.store;

import static io.ferry.relay.store.Rows.instant;
import static io.ferry.relay.store.Rows.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link CallbackStore} in the relay's database. The parts that end jobs ({@link SqlJobStore},
 * {@link SqlJobAdminStore}) schedule a delivery here in their own transaction, so a restart between the end
 * and the delivery loses nothing, and tell the sender once it committed.
 */
final class SqlCallbackStore implements CallbackStore {

  /**
   * With several relays, a callback taken by one of them is not due for the others for this long: the
   * taker delivers it (or records why not) well within it, and if the taker died, another one retries.
   */
  private static final Duration CALLBACK_TAKEN_FOR = Duration.ofMinutes(1);

  private final Database db;
  private final Dialect dialect;
  /** Told after a commit that scheduled a callback delivery: the sender (see {@link #onDeliveryScheduled}). */
  private volatile Runnable deliveryScheduled = () -> { };

  SqlCallbackStore(Database db) {
    this.db = db;
    this.dialect = db.dialect();
  }

  /**
   * In the transaction that ended the job: a delivery is due now if the job has a callback URL. Returns
   * whether one was scheduled. Callers that know the job has no callback URL skip the statement.
   */
  boolean schedule(Connection c, String jobId, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO callback_deliveries (job_id, attempts, next_attempt_at) "
            + "SELECT id, 0, ? FROM jobs WHERE id = ? AND callback_url IS NOT NULL")) {
      ps.setLong(1, now.toEpochMilli());
      ps.setString(2, jobId);
      return ps.executeUpdate() == 1;
    }
  }

  @Override
  public void onDeliveryScheduled(Runnable listener) {
    this.deliveryScheduled = listener;
  }

  /** After the commit that scheduled a delivery: the sender looks now instead of at its next tick. */
  void deliveryScheduled() {
    deliveryScheduled.run();
  }

  /** After the commit that ended {@code ended}: the sender looks now if any of them has a callback. */
  void deliveriesScheduled(List<Job> ended) {
    if (ended.stream().anyMatch(j -> j.callbackUrl() != null)) {
      deliveryScheduled.run();
    }
  }

  @Override
  public List<Delivery> dueDeliveries(Instant now, int limit) {
    if (dialect.shared()) {
      return takeDueDeliveries(now, limit);
    }
    return db.read("read due callbacks", c -> due(c, "", now, limit));
  }

  /** The deliveries due at {@code now}, oldest first, at most {@code limit}; {@code lock} ends the query. */
  private static List<Delivery> due(Connection c, String lock, Instant now, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT d.job_id, j.tenant_id, d.attempts FROM callback_deliveries d JOIN jobs j ON j.id = d.job_id "
            + "WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= ? "
            + "ORDER BY d.next_attempt_at LIMIT ?" + lock)) {
      ps.setLong(1, now.toEpochMilli());
      ps.setInt(2, limit);
      List<Delivery> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Delivery(rs.getString(1), rs.getString(2), rs.getInt(3)));
        }
      }
      return out;
    }
  }

  /**
   * With several relays each due delivery goes to one of them: it is taken (its next attempt moved
   * {@link #CALLBACK_TAKEN_FOR} ahead) in the transaction that finds it, rows another relay is taking
   * skipped. {@link #recordAttempt} then sets the real next attempt.
   */
  private List<Delivery> takeDueDeliveries(Instant now, int limit) {
    return db.write("take due callbacks", c -> {
      List<Delivery> out = due(c, " FOR UPDATE OF d SKIP LOCKED", now, limit);
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE callback_deliveries SET next_attempt_at = ? WHERE job_id = ?")) {
        for (Delivery d : out) {
          ps.setLong(1, now.plus(CALLBACK_TAKEN_FOR).toEpochMilli());
          ps.setString(2, d.jobId());
          ps.executeUpdate();
        }
      }
      return out;
    });
  }

  @Override
  public void recordAttempt(String jobId, int attempts, Instant now, DeliveryOutcome outcome, Instant nextAttemptAt,
      String error) {
    db.write("record a callback attempt for job " + jobId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE callback_deliveries SET attempts = ?, next_attempt_at = ?, delivered_at = ?, failed_at = ?, "
              + "last_error = ? WHERE job_id = ?")) {
        ps.setInt(1, attempts);
        ps.setLong(2, (nextAttemptAt == null ? now : nextAttemptAt).toEpochMilli());
        setInstant(ps, 3, outcome == DeliveryOutcome.DELIVERED ? now : null);
        setInstant(ps, 4, outcome == DeliveryOutcome.GAVE_UP ? now : null);
        ps.setString(5, error == null || error.length() <= 500 ? error : error.substring(0, 500));
        ps.setString(6, jobId);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<DeliveryState> deliveryState(String jobId) {
    return db.read("read the callback of job " + jobId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT attempts, delivered_at, failed_at, last_error FROM callback_deliveries WHERE job_id = ?")) {
        ps.setString(1, jobId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new DeliveryState(rs.getInt(1), instant(rs, 2), instant(rs, 3), rs.getString(4)));
        }
      }
    });
  }
}
