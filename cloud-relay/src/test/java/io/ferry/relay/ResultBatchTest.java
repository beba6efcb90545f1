package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.ResultBatch;
import io.ferry.protocol.ResultReceipts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several results in one request: each taken as the single result endpoint takes it, each with its receipt. */
class ResultBatchTest {

  @TempDir Path dataDir;

  private static String accepted(TestRelay.Tenant tenant) {
    Reply r = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
    assertThat(r.status()).isEqualTo(202);
    return r.json().path("id").asText();
  }

  @Test
  void eachResultOfABatchIsTakenOrRefusedOnItsOwnWithTheSingleEndpointsAnswer() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      accepted(tenant);
      accepted(tenant);
      List<JobEnvelope> jobs = agent.poll(5).jobs();
      assertThat(jobs).hasSize(2);
      JobEnvelope first = jobs.get(0);
      JobEnvelope second = jobs.get(1);
      JobResult good = JobResult.succeeded(first, Fixtures.created(first.customer(), "0000100001"));
      JobResult stale = JobResult.succeeded(new JobEnvelope(second.protocolVersion(), second.jobId(), second.action(), 7,
          second.leaseExpiresAt(), second.deadline(), null, second.customer(), null, null, null, null),
          Fixtures.created(second.customer(), "0000100002"));
      JobResult unknown = JobResult.succeeded(new JobEnvelope(first.protocolVersion(), "01JC0000000000000000000000",
          first.action(), 1, first.leaseExpiresAt(), first.deadline(), null, first.customer(), null, null, null, null),
          Fixtures.created(first.customer(), "0000100003"));

      Reply reply = agent.postWith(agent.authorization("POST", Protocol.RESULTS_PATH), Protocol.RESULTS_PATH,
          new ResultBatch(Protocol.VERSION, List.of(good, stale, unknown)));

      assertThat(reply.status()).isEqualTo(200);
      List<ResultReceipts.Receipt> receipts = reply.as(ResultReceipts.class).receipts();
      assertThat(receipts).extracting(ResultReceipts.Receipt::jobId)
          .containsExactly(first.jobId(), second.jobId(), "01JC0000000000000000000000");
      assertThat(receipts).extracting(ResultReceipts.Receipt::status).containsExactly(204, 409, 404);
      assertThat(receipts.get(0).problem()).isNull();
      assertThat(receipts.get(1).problem().code()).isEqualTo("FERRY-RELAY-0306");
      assertThat(receipts.get(2).problem().code()).isEqualTo("FERRY-RELAY-0302");

      // The engine sees the taken one ended, the other still with its agent.
      Reply done = tenant.engine().get("/v1/operations/" + first.jobId());
      assertThat(done.status()).isEqualTo(201);
      assertThat(done.header("Location")).isEqualTo("/v1/customers/0000100001");
      Reply running = tenant.engine().get("/v1/operations/" + second.jobId());
      assertThat(running.status()).isEqualTo(202);
      assertThat(running.json().get("status").asText()).isEqualTo("RUNNING");

      // The same batch again: the taken result is an identical resend (204 again), nothing changes.
      Reply again = agent.postWith(agent.authorization("POST", Protocol.RESULTS_PATH), Protocol.RESULTS_PATH,
          new ResultBatch(Protocol.VERSION, List.of(good)));
      assertThat(again.as(ResultReceipts.class).receipts()).extracting(ResultReceipts.Receipt::status)
          .containsExactly(204);
    }
  }

  @Test
  void anEmptyOrOversizedBatchIsRefusedWholeAndABatchNeedsAnAgent() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      Reply empty = agent.postWith(agent.authorization("POST", Protocol.RESULTS_PATH), Protocol.RESULTS_PATH,
          new ResultBatch(Protocol.VERSION, List.of()));
      assertThat(empty.status()).isEqualTo(400);
      assertThat(empty.problem().code()).isEqualTo("FERRY-RELAY-0108");
      assertThat(empty.problem().detail()).contains("1 to " + ResultBatch.MAX_RESULTS);

      Reply anonymous = agent.postWith("Bearer not-an-agent-key", Protocol.RESULTS_PATH,
          new ResultBatch(Protocol.VERSION, List.of()));
      assertThat(anonymous.status()).isEqualTo(401);
    }
  }
}
