package io.ferry.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.e2e.SqsServer;
import io.ferry.relay.store.StoreSettings;
import io.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos test: relay and agent processes killed with SIGKILL at random points and restarted while
 * engines send creates (see {@link ChaosRun}): against one relay on SQLite, against two relays on one
 * PostgreSQL database, and against two such relays dispatching through SQS (ElasticMQ in this JVM). Short in every build; {@code ./mvnw verify -Pchaos} runs 2,000
 * requests with 24 kills in each mode. System properties: {@code ferry.chaos.requests}, {@code
 * ferry.chaos.kills}, {@code ferry.chaos.engines} (threads), {@code ferry.chaos.seed} (to repeat a run's
 * kill plan).
 */
class ChaosIT {

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work;

  private final int requests = Integer.getInteger("ferry.chaos.requests", 100);
  private final int kills = Integer.getInteger("ferry.chaos.kills", 4);
  private final int engines = Integer.getInteger("ferry.chaos.engines", 8);
  private final long seed = Long.getLong("ferry.chaos.seed", System.nanoTime());

  @Test
  void everyAcceptedRequestEndsOnceAndSapHoldsOneCustomerPerCreate() throws Exception {
    ChaosRun.Figures f = new ChaosRun(work, requests, engines, seed, plan()).run();

    f.assertNothingLostNothingDuplicated();
    assertThat(f.relayKills() + f.agentKills()).isEqualTo(kills);
  }

  /** Two relays on one fresh PostgreSQL database; a relay kill hits either of them. */
  @Test
  void withTwoRelaysOnPostgresqlEveryAcceptedRequestEndsOnceAndSapHoldsOneCustomerPerCreate() throws Exception {
    try (TestPostgres db = TestPostgres.create("chaos")) {
      ChaosRun.Figures f = new ChaosRun(work, requests, engines, seed, plan(),
          (dir, logs) -> RelayCluster.postgres(postgresSettings(db), dir, logs)).run();

      f.assertNothingLostNothingDuplicated();
      assertThat(f.relayKills() + f.agentKills()).isEqualTo(kills);
      // What the relays share: one job per request (the key's claim and the insert are one transaction,
      // whichever relay took which retry), each in the state the engine was told.
      Map<String, Integer> jobs = jobStates(db);
      System.out.println("chaos: jobs in PostgreSQL by state " + jobs);
      assertThat(jobs.values().stream().mapToInt(Integer::intValue).sum()).as("jobs in PostgreSQL " + jobs).isEqualTo(requests);
      assertThat(jobs).as("jobs in PostgreSQL").doesNotContainKeys("QUEUED", "LEASED")
          .containsEntry("SUCCEEDED", f.succeeded());
    }
  }

  /**
   * Two relays on one PostgreSQL database dispatching through SQS: jobs go to the agent through FIFO queues on an
   * ElasticMQ in this JVM (it outlives every kill, as AWS would), results come back through the results queue.
   */
  @Test
  void withSqsDispatchEveryAcceptedRequestEndsOnceAndSapHoldsOneCustomerPerCreate() throws Exception {
    try (TestPostgres db = TestPostgres.create("chaos")) {
      ChaosRun.Figures f = new ChaosRun(work, requests, engines, seed, plan(),
          (dir, logs) -> RelayCluster.sqs(SqsServer.endpoint(), postgresSettings(db), dir, logs)).run();

      f.assertNothingLostNothingDuplicated();
      assertThat(f.relayKills() + f.agentKills()).isEqualTo(kills);
      Map<String, Integer> jobs = jobStates(db);
      System.out.println("chaos: jobs in PostgreSQL by state " + jobs);
      assertThat(jobs.values().stream().mapToInt(Integer::intValue).sum()).as("jobs in PostgreSQL " + jobs).isEqualTo(requests);
      assertThat(jobs).as("jobs in PostgreSQL").doesNotContainKeys("QUEUED", "LEASED")
          .containsEntry("SUCCEEDED", f.succeeded());
    }
  }

  private static Map<String, Integer> jobStates(TestPostgres db) throws Exception {
    Map<String, Integer> states = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT state, COUNT(*) FROM jobs GROUP BY state")) {
      while (rs.next()) {
        states.put(rs.getString(1), rs.getInt(2));
      }
    }
    return states;
  }

  /** As many relay kills as agent kills, in a random order. */
  private List<ChaosRun.Disruption> plan() {
    List<ChaosRun.Disruption> plan = new ArrayList<>();
    for (int k = 0; k < kills; k++) {
      plan.add(k % 2 == 0 ? ChaosRun.Disruption.KILL_AGENT : ChaosRun.Disruption.KILL_RELAY);
    }
    Collections.shuffle(plan, new Random(seed));
    return plan;
  }

  private static StoreSettings postgresSettings(TestPostgres db) {
    return StoreSettings.postgres(db.jdbcUrl(), db.user(), db.password());
  }
}
