package io.ferry.relay.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.relay.auth.AgentIdentity;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.JobStore;
import io.ferry.relay.store.SqlStore;
import io.ferry.relay.store.Ulid;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that arrives while a poll that may take it waits is handed to that poll directly: stored leased to
 * its agent in the one commit that stores it, answered without a claim. Everything else about the job is
 * as if it had been queued and claimed.
 */
class HandOffTest {

  @TempDir Path dataDir;
  private SqlStore store;
  private Dispatcher dispatcher;
  private String tenant;

  @BeforeEach
  void open() {
    store = SqlStore.open(dataDir);
    tenant = store.access().ensureTenant("acme", Ulid.next(), Instant.now());
    dispatcher = new Dispatcher(store.jobs(), Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(60), 5);
  }

  @AfterEach
  void close() {
    dispatcher.close();
    store.close();
  }

  private Job job(String group) {
    Instant now = Instant.now();
    return Job.queued(Ulid.next(), tenant, group, Action.CUSTOMER_CREATE, "{\"customer\":{}}", null, now,
        now.plus(Duration.ofMinutes(10)));
  }

  @Test
  void aJobArrivingForAWaitingPollIsStoredLeasedToItsAgentAndAnsweredAsItsFirstAttempt() throws Exception {
    AgentIdentity agent = new AgentIdentity("agent-1", tenant, "default");
    CompletableFuture<List<JobEnvelope>> poll = dispatcher.poll(agent, 5);
    Job job = job(null);

    CompletableFuture<Job> engine = dispatcher.submit(job, Duration.ofSeconds(30));

    List<JobEnvelope> got = poll.get(10, TimeUnit.SECONDS);
    assertThat(got).extracting(JobEnvelope::jobId).containsExactly(job.id());
    assertThat(got.getFirst().attempt()).isEqualTo(1);
    assertThat(got.getFirst().leaseExpiresAt()).isAfter(Instant.now().plusSeconds(50));
    Job stored = store.jobs().find(tenant, job.id()).orElseThrow();
    assertThat(stored.state()).isEqualTo(JobState.LEASED);
    assertThat(stored.leasedBy()).isEqualTo("agent-1");
    assertThat(stored.attempt()).isEqualTo(1);
    assertThat(store.jobs().claim(tenant, "default", "agent-2", 5, Instant.now(), Instant.now().plusSeconds(60)))
        .as("nobody else can claim it").isEmpty();

    // The lease is a lease like any other: the agent's result ends the job and answers the engine.
    assertThat(dispatcher.complete(agent, job.id(), 1, JobState.SUCCEEDED, "{}", null))
        .isEqualTo(JobStore.Completion.ACCEPTED);
    Job answered = engine.get(10, TimeUnit.SECONDS);
    assertThat(answered.state()).isEqualTo(JobState.SUCCEEDED);
    // Answered from the accepted result without reading the job back: exactly what a read returns.
    assertThat(answered).isEqualTo(store.jobs().find(tenant, job.id()).orElseThrow());
  }

  @Test
  void aJobOfAnotherGroupIsNotHandedToAWaitingPollAndStaysQueued() throws Exception {
    CompletableFuture<List<JobEnvelope>> poll = dispatcher.poll(new AgentIdentity("agent-1", tenant, "plant-a"), 5);
    Job job = job("plant-b");

    dispatcher.submit(job, Duration.ZERO).get(10, TimeUnit.SECONDS);

    assertThat(store.jobs().find(tenant, job.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    assertThat(poll).isNotDone();
    List<JobEnvelope> other = dispatcher.poll(new AgentIdentity("agent-2", tenant, "plant-b"), 5)
        .get(10, TimeUnit.SECONDS);
    assertThat(other).extracting(JobEnvelope::jobId).containsExactly(job.id());
  }

  @Test
  void aRequestRepeatedUnderItsIdempotencyKeyHandsNothingOverAndThePollKeepsWaiting() throws Exception {
    Instant now = Instant.now();
    Job first = job(null);
    var key = new JobStore.IdempotencyEntry(tenant, "k-1", "fp", first.id(), now, now.plusSeconds(3600));
    dispatcher.submit(first, Duration.ZERO, key);
    AgentIdentity agent = new AgentIdentity("agent-1", tenant, "default");
    assertThat(dispatcher.poll(agent, 5).get(10, TimeUnit.SECONDS)).extracting(JobEnvelope::jobId)
        .containsExactly(first.id());

    CompletableFuture<List<JobEnvelope>> poll = dispatcher.poll(agent, 5);
    Job repeated = job(null);
    var again = dispatcher.submit(repeated, Duration.ZERO,
        new JobStore.IdempotencyEntry(tenant, "k-1", "fp", repeated.id(), now, now.plusSeconds(3600)));

    assertThat(again.earlier().jobId()).isEqualTo(first.id());
    assertThat(store.jobs().find(tenant, repeated.id())).isEmpty();
    Job next = job(null);
    dispatcher.submit(next, Duration.ZERO);
    assertThat(poll.get(10, TimeUnit.SECONDS)).extracting(JobEnvelope::jobId).containsExactly(next.id());
  }
}
