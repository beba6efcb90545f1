package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A relay restart loses no job: queued jobs are handed out, leased ones finished, results kept. */
class RestartTest {

  @TempDir
  Path dataDir;

  @Test
  void aJobAcceptedBeforeARestartIsPolledAndCompletedAfterIt() {
    TestRelay before = TestRelay.start(dataDir, c -> c);
    TestRelay.Tenant tenant = before.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
    assertThat(accepted.status()).isEqualTo(202);
    String operation = "/v1/operations/" + accepted.json().get("id").asText();

    try (TestRelay after = before.restart()) {
      FakeAgent sameAgent = agent.at(after.base());
      Engine engine = new Engine(after.base(), tenant.apiKey());
      assertThat(engine.get(operation).status()).isEqualTo(202);

      JobEnvelope job = sameAgent.takeOne();
      assertThat(job.jobId()).isEqualTo(accepted.json().get("id").asText());
      assertThat(job.customer().name()).isEqualTo("Muster GmbH");
      assertThat(sameAgent.succeed(job, Fixtures.created(job.customer(), "0000100007")).status()).isEqualTo(204);

      Reply done = engine.get(operation);
      assertThat(done.status()).isEqualTo(201);
      assertThat(done.as(Customer.class).customerNumber()).isEqualTo("0000100007");
      // The agent seen before the restart still counts as online: engines are not turned away.
      assertThat(engine.post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async").status())
          .isEqualTo(202);
    }
  }

  @Test
  void aJobLeasedBeforeARestartTakesItsResultAfterIt() {
    TestRelay before = TestRelay.start(dataDir, c -> c);
    TestRelay.Tenant tenant = before.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
    JobEnvelope job = agent.takeOne();

    try (TestRelay after = before.restart()) {
      FakeAgent sameAgent = agent.at(after.base());
      assertThat(sameAgent.renew(job.jobId(), job.attempt()).status()).isEqualTo(200);
      assertThat(sameAgent.succeed(job, Fixtures.created(job.customer(), "0000100008")).status()).isEqualTo(204);

      Reply done = new Engine(after.base(), tenant.apiKey()).get(accepted.header("Location")
          .replace(before.base().toString(), after.base().toString()));
      assertThat(done.status()).isEqualTo(201);
    }
  }

  /**
   * A graceful stop (SIGTERM, a rolling deploy) while an engine waits in the sync window for a job an
   * agent is running: the engine is answered 202 with its operation instead of a broken connection, and
   * the result the agent delivers to the next relay is what the operation and a replay of the key answer.
   */
  @Test
  void aGracefulStopAnswersAWaitingEngine202AndTheResultIsKeptForItAfterTheRestart() throws Exception {
    TestRelay before = TestRelay.start(dataDir, c -> c.withSyncWindow(Duration.ofSeconds(60)));
    TestRelay.Tenant tenant = before.tenant();
    FakeAgent agent = tenant.enrollAgent();
    CompletableFuture<Reply> waiting = tenant.engine().postAsync("/v1/customers", Fixtures.CUSTOMER_JSON,
        "Idempotency-Key", "restart-1");
    JobEnvelope job = agent.takeOne();

    before.close();

    Reply answered = waiting.get(10, TimeUnit.SECONDS);
    assertThat(answered.status()).isEqualTo(202);
    String operationId = answered.json().get("id").asText();
    assertThat(operationId).isEqualTo(job.jobId());
    try (TestRelay after = before.restart()) {
      FakeAgent sameAgent = agent.at(after.base());
      assertThat(sameAgent.succeed(job, Fixtures.created(job.customer(), "0000100009")).status()).isEqualTo(204);

      Engine engine = new Engine(after.base(), tenant.apiKey());
      Reply done = engine.get("/v1/operations/" + operationId);
      assertThat(done.status()).isEqualTo(201);
      assertThat(done.as(Customer.class).customerNumber()).isEqualTo("0000100009");
      Reply replay = engine.post("/v1/customers", Fixtures.CUSTOMER_JSON, "Idempotency-Key", "restart-1");
      assertThat(replay.status()).isEqualTo(201);
      assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
      assertThat(replay.as(Customer.class).customerNumber()).isEqualTo("0000100009");
    }
  }
}
