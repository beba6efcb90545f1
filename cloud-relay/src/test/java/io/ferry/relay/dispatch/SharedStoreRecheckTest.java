package io.ferry.relay.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.relay.auth.AgentIdentity;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.SqlStore;
import io.ferry.relay.store.TestStore;
import io.ferry.relay.store.Ulid;
import io.ferry.testing.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The safety net under the notifications between relays: a dispatcher that heard nothing (its store does
 * not listen here) still finds, at its next check, the job another relay queued for its parked poll and
 * the end of the job its engine request waits for.
 */
class SharedStoreRecheckTest {

  private TestPostgres db;
  private SqlStore mine;
  private SqlStore otherRelays;
  private Dispatcher dispatcher;
  private String tenant;

  @BeforeEach
  void open() {
    db = TestPostgres.create("recheck");
    mine = SqlStore.openPostgres(TestStore.settings(db));
    otherRelays = SqlStore.openPostgres(TestStore.settings(db));
    tenant = mine.access().ensureTenant("acme", Ulid.next(), Instant.now());
    dispatcher = new Dispatcher(mine.jobs(), Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(60), 5);
  }

  @AfterEach
  void close() {
    try {
      dispatcher.close();
      otherRelays.close();
      mine.close();
    } finally {
      db.close();
    }
  }

  private Job job() {
    Instant now = Instant.now();
    return Job.queued(Ulid.next(), tenant, null, Action.CUSTOMER_CREATE, "{\"customer\":{}}", null, now,
        now.plus(Duration.ofMinutes(10)));
  }

  @Test
  void aCheckWakesAParkedPollForAJobAnotherRelayQueuedUnheard() throws Exception {
    AgentIdentity agent = new AgentIdentity("agent-1", tenant, "default");
    CompletableFuture<List<JobEnvelope>> poll = dispatcher.poll(agent, 1);
    assertThat(dispatcher.waitingPolls()).isEqualTo(1);
    Job queuedElsewhere = job();
    otherRelays.jobs().insert(queuedElsewhere);

    assertThat(poll).as("nobody told this relay").isNotDone();
    dispatcher.recheck();

    assertThat(poll.get(10, TimeUnit.SECONDS)).extracting(JobEnvelope::jobId).containsExactly(queuedElsewhere.id());
  }

  @Test
  void aCheckAnswersAnEngineRequestWaitingForAJobAnotherRelayEndedUnheard() throws Exception {
    Job job = job();
    CompletableFuture<Job> waiting = dispatcher.submit(job, Duration.ofSeconds(30));
    Job leased = otherRelays.jobs().claim(tenant, "default", "agent-1", 1, Instant.now(), Instant.now().plusSeconds(60))
        .get(0);
    otherRelays.jobs().complete(tenant, leased.id(), "agent-1", leased.attempt(), JobState.SUCCEEDED, "{}", null,
        Instant.now());

    assertThat(waiting).as("nobody told this relay").isNotDone();
    dispatcher.recheck();

    assertThat(waiting.get(10, TimeUnit.SECONDS).state()).isEqualTo(JobState.SUCCEEDED);
  }
}
