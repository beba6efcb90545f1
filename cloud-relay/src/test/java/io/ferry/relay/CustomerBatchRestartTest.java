package io.ferry.relay;

import static io.ferry.relay.CustomerBatchTest.BATCHES;
import static io.ferry.relay.CustomerBatchTest.CSV;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.JobEnvelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch's progress lives in the store: a relay restart mid-batch loses no record and runs none twice. */
class CustomerBatchRestartTest {

  @TempDir
  Path dataDir;

  @Test
  void aRestartMidBatchResumesAndRunsEveryRecordExactlyOnce() {
    TestRelay before = TestRelay.start(dataDir, c -> c.withPollHold(Duration.ofSeconds(1)).withBatchParallelism(2));
    TestRelay.Tenant tenant = before.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Reply accepted = tenant.engine().postBody(BATCHES + "?mode=insert", CustomerBatchTest.csv(6), CSV);
    assertThat(accepted.status()).isEqualTo(202);
    String path = BATCHES + "/" + accepted.json().get("id").asText();

    List<JobEnvelope> seen = new ArrayList<>();
    while (seen.size() < 2) {
      seen.addAll(agent.poll(50).jobs());
    }
    assertThat(agent.result(CustomerBatchTest.created(seen.get(0))).status()).isEqualTo(204);
    // The step after that result queues the third record's job; the restart comes while it waits, queued,
    // and while the second record's job is leased.
    Fixtures.await("a third record in flight", Duration.ofSeconds(10), () -> CustomerBatchTest.results(
        tenant.engine(), path, "").stream().filter(r -> r.has("operationId")).count() == 3);

    try (TestRelay after = before.restart()) {
      FakeAgent sameAgent = agent.at(after.base());
      Engine engine = new Engine(after.base(), tenant.apiKey());
      assertThat(engine.get(path).json().get("status").asText()).isEqualTo("RUNNING");
      assertThat(sameAgent.result(CustomerBatchTest.created(seen.get(1))).status())
          .as("the job leased before the restart takes its result after it").isEqualTo(204);

      seen.addAll(CustomerBatchTest.runToEnd(sameAgent, engine, path, CustomerBatchTest::created));

      assertThat(seen).extracting(j -> j.customer().externalId())
          .containsExactlyInAnyOrder("CRM-1", "CRM-2", "CRM-3", "CRM-4", "CRM-5", "CRM-6");
      assertThat(seen).extracting(JobEnvelope::jobId).doesNotHaveDuplicates();
      List<JsonNode> results = CustomerBatchTest.results(engine, path, "");
      assertThat(results).extracting(r -> r.get("outcome").asText()).containsOnly("SUCCEEDED").hasSize(6);
      assertThat(results).extracting(r -> r.get("operationId").asText())
          .containsExactlyInAnyOrderElementsOf(seen.stream().map(JobEnvelope::jobId).toList());
      assertThat(engine.get(path).json().get("succeeded").asInt()).isEqualTo(6);
      assertThat(sameAgent.pollNow(50).jobs()).isEmpty();
    }
  }
}
