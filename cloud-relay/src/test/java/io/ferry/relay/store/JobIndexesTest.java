package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Action;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queries that run all the time while the relay is up — the reaper's, three each second, and the backlog
 * gauges' — read the few QUEUED or LEASED rows through the state's partial index, never the whole table of
 * ended jobs. SQLite's planner has no statistics to go by, so a query's shape decides: ordered by id, the
 * reaper's walked every job the relay keeps.
 */
class JobIndexesTest {

  @TempDir
  Path dir;

  @Test
  void theReapersAndTheGaugesQueriesReadAPartialIndex() throws Exception {
    Instant now = Instant.parse("2026-05-01T10:00:00Z");
    try (SqlStore store = SqlStore.open(dir)) {
      String tenant = store.access().ensureTenant("acme", Ulid.next(), now);
      for (int i = 0; i < 20; i++) { // ended jobs, as most of a relay's table is
        Job job = Job.queued(Ulid.next(), tenant, null, Action.CUSTOMER_CREATE, "{}", null, now,
            now.plus(Duration.ofMinutes(10))).leasedOnArrival("agent", now.plusSeconds(60));
        store.jobs().insert(job);
        store.jobs().complete(tenant, job.id(), "agent", 1, JobState.SUCCEEDED, "{}", null, now);
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqlStore.FILE_NAME))) {
      assertThat(plan(c, SqlJobStore.reaperQuery(SqlJobStore.LAPSED_WITH_ATTEMPTS_LEFT, "lease_expires_at", "")))
          .containsExactly("SEARCH jobs USING INDEX jobs_leases (lease_expires_at<?)");
      assertThat(plan(c, SqlJobStore.reaperQuery(SqlJobStore.LAPSED_ON_LAST_ATTEMPT, "lease_expires_at", "")))
          .containsExactly("SEARCH jobs USING INDEX jobs_leases (lease_expires_at<?)");
      assertThat(plan(c, SqlJobStore.reaperQuery(SqlJobStore.OVERDUE, "deadline", "")))
          .containsExactly("SEARCH jobs USING INDEX jobs_deadlines (deadline<?)");
      assertThat(plan(c, StoreProbe.countByActionQuery("LEASED"))).first().asString()
          .isEqualTo("SCAN jobs USING INDEX jobs_leases");
      assertThat(plan(c, StoreProbe.countByActionQuery("QUEUED"))).first().asString()
          .startsWith("SCAN jobs USING INDEX jobs_");
    }
  }

  private static List<String> plan(Connection c, String sql) throws SQLException {
    List<String> steps = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
      while (rs.next()) {
        steps.add(rs.getString("detail"));
      }
    }
    return steps;
  }
}
