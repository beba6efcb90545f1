package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.PollResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Held polls: woken by a queued job long before the 10 s hold ends, and released by a shutdown. */
class LongPollTest {

  private static final Duration HOLD = Duration.ofSeconds(10);

  @TempDir
  Path dataDir;

  @Test
  void aHeldPollIsAnsweredAsSoonAsAJobIsQueued() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withPollHold(HOLD))) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();

      CompletableFuture<PollResponse> poll = agent.pollAsync(1);
      Fixtures.await("the poll to park", Duration.ofSeconds(5), () -> relay.relay.waitingPolls() == 1);
      long queuedAt = System.nanoTime();
      Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");

      PollResponse response = poll.get(HOLD.toSeconds() + 5, TimeUnit.SECONDS);
      Duration waited = Duration.ofNanos(System.nanoTime() - queuedAt);
      assertThat(response.jobs()).extracting(JobEnvelope::jobId).containsExactly(accepted.json().get("id").asText());
      // A correctness bound, not a benchmark: the wake-up, not the hold, ended the poll.
      assertThat(waited).isLessThan(HOLD.dividedBy(2));
      assertThat(relay.relay.waitingPolls()).isZero();
    }
  }

  @Test
  void twoParkedPollsNeverGetTheSameJob() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withPollHold(HOLD))) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent first = tenant.enrollAgent();
      FakeAgent second = tenant.enrollAgent();

      CompletableFuture<PollResponse> a = first.pollAsync(5);
      CompletableFuture<PollResponse> b = second.pollAsync(5);
      Fixtures.await("both polls to park", Duration.ofSeconds(5), () -> relay.relay.waitingPolls() == 2);
      tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");

      // One poll gets the job at once; the other stays parked until the relay closes.
      PollResponse winner = a.applyToEither(b, r -> r).get(5, TimeUnit.SECONDS);
      assertThat(winner.jobs()).hasSize(1);
      relay.close();
      int total = a.get(5, TimeUnit.SECONDS).jobs().size() + b.get(5, TimeUnit.SECONDS).jobs().size();
      assertThat(total).isEqualTo(1);
    }
  }

  /** Guards against a stopping agent's last poll, arriving after its goodbye, swallowing the next job. */
  @Test
  void aPollOfAStoppedRunArrivingLateIsAnsweredAtOnceAndTakesNoJob() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withPollHold(HOLD))) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();

      assertThat(agent.stopPolling("run-1").status()).isEqualTo(204);
      PollResponse late = agent.pollAsync(1, "run-1").get(HOLD.toSeconds() / 2, TimeUnit.SECONDS);
      assertThat(late.jobs()).isEmpty();
      assertThat(relay.relay.waitingPolls()).isZero();

      // The stopped agent is offline (a create now would be 503) until its next run polls.
      CompletableFuture<PollResponse> nextRun = agent.pollAsync(1, "run-2");
      Fixtures.await("the next run's poll to park", Duration.ofSeconds(5), () -> relay.relay.waitingPolls() == 1);
      Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      assertThat(accepted.status()).isEqualTo(202);
      assertThat(nextRun.get(5, TimeUnit.SECONDS).jobs()).extracting(JobEnvelope::jobId)
          .containsExactly(accepted.json().get("id").asText());
    }
  }

  @Test
  void closingTheRelayAnswersHeldPollsWithNoJobs() throws Exception {
    TestRelay relay = TestRelay.start(dataDir, c -> c.withPollHold(HOLD));
    FakeAgent agent = relay.tenant().enrollAgent();
    CompletableFuture<PollResponse> poll = agent.pollAsync(1);
    Fixtures.await("the poll to park", Duration.ofSeconds(5), () -> relay.relay.waitingPolls() == 1);

    long closingAt = System.nanoTime();
    relay.close();
    relay.close(); // idempotent

    assertThat(poll.get(HOLD.toSeconds(), TimeUnit.SECONDS).jobs()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - closingAt)).isLessThan(HOLD.dividedBy(2));
  }
}
