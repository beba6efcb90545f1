package io.ferry.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Action;
import io.ferry.testing.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two stores on one PostgreSQL database, as two relays have them: what one does, the other hears. */
class PgNotificationsTest {

  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

  private TestPostgres db;
  private SqlStore a;
  private SqlStore b;
  private final BlockingQueue<String> heardByB = new LinkedBlockingQueue<>();

  @BeforeEach
  void open() {
    db = TestPostgres.create("notify");
    a = SqlStore.openPostgres(TestStore.settings(db));
    b = SqlStore.openPostgres(TestStore.settings(db));
    b.listen(new JobEvents() {
      @Override
      public void queued(String tenantId, String agentGroup) {
        heardByB.add("queued " + tenantId + " " + agentGroup);
      }

      @Override
      public void ended(String jobId) {
        heardByB.add("ended " + jobId);
      }

      @Override
      public void resync() {
        heardByB.add("resync");
      }
    });
  }

  @AfterEach
  void close() {
    try {
      b.close();
      a.close();
    } finally {
      db.close();
    }
  }

  @Test
  void aJobQueuedAndEndedByOneStoreIsHeardByTheOtherButNotByItself() throws Exception {
    assertThat(a.shared()).isTrue();
    String tenant = a.access().ensureTenant("acme", Ulid.next(), NOW);
    Job job = Job.queued(Ulid.next(), tenant, "default", Action.CUSTOMER_CREATE, "{}", null, NOW,
        NOW.plus(Duration.ofMinutes(10)));

    a.jobs().insert(job);
    assertThat(heardByB.poll(10, TimeUnit.SECONDS)).isEqualTo("queued " + tenant + " default");

    Job leased = b.jobs().claim(tenant, "default", "agent-1", 1, NOW, NOW.plusSeconds(60)).get(0);
    // b's own claim and a's result: b hears only a's result.
    a.jobs().complete(tenant, leased.id(), "agent-1", leased.attempt(), JobState.SUCCEEDED, "{}", null, NOW);
    assertThat(heardByB.poll(10, TimeUnit.SECONDS)).isEqualTo("ended " + job.id());

    Job own = Job.queued(Ulid.next(), tenant, null, Action.CUSTOMER_CREATE, "{}", null, NOW,
        NOW.plus(Duration.ofMinutes(10)));
    b.jobs().insert(own);
    a.jobs().insert(Job.queued(Ulid.next(), tenant, "marker", Action.CUSTOMER_CREATE, "{}", null, NOW,
        NOW.plus(Duration.ofMinutes(10))));
    // Notifications arrive in commit order: had b heard its own job, that would come before a's marker.
    assertThat(heardByB.poll(10, TimeUnit.SECONDS)).isEqualTo("queued " + tenant + " marker");
  }

  /** SQS dispatch: a job one relay ends DEAD from the dead-letter queue answers the engine waiting at the other. */
  @Test
  void aJobEndedDeadFromTheDeadLetterQueueIsHeardByTheOther() throws Exception {
    String tenant = a.access().ensureTenant("acme", Ulid.next(), NOW);
    Job job = Job.queued(Ulid.next(), tenant, "default", Action.CUSTOMER_CREATE, "{}", null, NOW,
        NOW.plus(Duration.ofMinutes(10)));
    a.jobs().insert(job);
    assertThat(heardByB.poll(10, TimeUnit.SECONDS)).isEqualTo("queued " + tenant + " default");
    Job leased = a.jobs().claim(tenant, "default", "sqs", 1, NOW, NOW.plusSeconds(60)).get(0);

    assertThat(a.jobs().complete(tenant, leased.id(), "sqs", leased.attempt(), JobState.DEAD, null, "{}", NOW))
        .isEqualTo(JobStore.Completion.ACCEPTED);
    assertThat(heardByB.poll(10, TimeUnit.SECONDS)).isEqualTo("ended " + job.id());
  }
}
