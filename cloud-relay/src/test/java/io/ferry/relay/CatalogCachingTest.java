package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.JobEnvelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay keeps function interfaces (and catalogs and schemas) per agent group while its agents report the same
 * catalog fingerprint in their polls: a second read makes no job; a poll with another fingerprint, or none, drops them.
 */
class CatalogCachingTest {

  @TempDir
  static Path dataDir;
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c.withPollHold(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void aSecondReadIsAnsweredWithoutAJobUntilTheFingerprintChanges() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    agent.pollReporting(1, "fp-1", 0);

    assertThat(describedByAgent(tenant, agent, "fp-1").header("Ferry-Cache")).isNull();
    Reply kept = tenant.engine().get("/v1/functions/RFC_READ_TABLE");
    assertThat(kept.status()).isEqualTo(200);
    assertThat(kept.header("Ferry-Cache")).isEqualTo("hit");
    assertThat(kept.json().get("function").asText()).isEqualTo("RFC_READ_TABLE");
    assertThat(agent.pollReporting(5, "fp-1", 0).jobs()).as("no job was made for the second read").isEmpty();

    // The agent's allowlist or SAP's interface changed: the next read asks the agent again.
    agent.pollReporting(1, "fp-2", 0);
    describedByAgent(tenant, agent, "fp-2");
    assertThat(tenant.engine().get("/v1/functions/RFC_READ_TABLE").header("Ferry-Cache")).isEqualTo("hit");

    // An agent that reports no fingerprint (an older one, or none allowed): nothing is kept.
    agent.pollReporting(1, null, 0);
    describedByAgent(tenant, agent, null);
    describedByAgent(tenant, agent, null);
  }

  @Test
  void anAnswerReadUnderAnotherFingerprintIsNotKept() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    agent.pollReporting(1, "fp-1", 0);
    CompletableFuture<Reply> describe = tenant.engine().getAsync("/v1/functions/RFC_READ_TABLE");
    JobEnvelope job = agent.takeReporting("fp-1");
    agent.produce(job, FunctionApiTest.sampleInterface("fp-old")); // read before the agent's last change
    assertThat(describe.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    describedByAgent(tenant, agent, "fp-1"); // not kept: asked again
  }

  @Test
  void catalogsAreKeptPerTenantAndNeverShownToAnother() throws Exception {
    TestRelay.Tenant a = relay.tenant();
    TestRelay.Tenant b = relay.tenant();
    FakeAgent agentA = a.enrollAgent();
    FakeAgent agentB = b.enrollAgent();
    agentA.pollReporting(1, "same", 0);
    agentB.pollReporting(1, "same", 0);
    CompletableFuture<Reply> listA = a.engine().getAsync("/v1/functions");
    agentA.produce(agentA.takeReporting("same"), FunctionApiTest.CATALOG);
    assertThat(listA.get(10, TimeUnit.SECONDS).json().get("functions")).hasSize(2);
    assertThat(a.engine().get("/v1/functions").header("Ferry-Cache")).isEqualTo("hit");
    CompletableFuture<Reply> listB = b.engine().getAsync("/v1/functions");
    agentB.produce(agentB.takeReporting("same"), new io.ferry.protocol.Catalog("same", null, null));
    Reply reply = listB.get(10, TimeUnit.SECONDS);
    assertThat(reply.header("Ferry-Cache")).isNull();
    assertThat(reply.json().get("functions")).isEmpty();
  }

  /** A GET of the interface that the agent answers (so not from the cache). */
  private static Reply describedByAgent(TestRelay.Tenant tenant, FakeAgent agent, String fingerprint) throws Exception {
    CompletableFuture<Reply> describe = tenant.engine().getAsync("/v1/functions/RFC_READ_TABLE");
    JobEnvelope job = agent.takeReporting(fingerprint);
    agent.produce(job, FunctionApiTest.sampleInterface(fingerprint));
    Reply reply = describe.get(10, TimeUnit.SECONDS);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply;
  }
}
