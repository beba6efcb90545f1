package io.ferry.relay;

import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.store.TestStore;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.JobEnvelope;
import io.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that stops gracefully says so ({@code DELETE /agent/v1/poll}), and from that moment it is offline:
 * {@code /v1/connection} says so and a create is 503 no-agent-online, instead of 90 s of "online" and creates
 * queued for nobody. On every relay sharing the store. The real agent's stop is in the cli module's
 * {@code AgentStopEndToEndTest}.
 */
class AgentStopPresenceTest {

  @TempDir
  Path dataDir;

  @Test
  void anAgentThatSaysItStopsIsOfflineAtOnceAndOnlineAgainWhenItPolls() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withAgentOfflineAfter(Duration.ofSeconds(90)))) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Engine engine = tenant.engine();
      assertThat(engine.post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async").status())
          .isEqualTo(202);
      JobEnvelope running = agent.takeOne();
      assertThat(online(engine)).isTrue();

      assertThat(agent.stopPolling("run-1").status()).isEqualTo(204);

      assertThat(online(engine)).isFalse();
      Reply refused = engine.post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.problem().code()).isEqualTo("FERRY-RELAY-0301");
      // Finishing the job it runs does not make it look online again: it takes no new jobs.
      assertThat(agent.renew(running.jobId(), running.attempt(), 1).status()).isEqualTo(200);
      assertThat(agent.succeed(running, Fixtures.created(running.customer(), "0000100001")).status()).isEqualTo(204);
      assertThat(online(engine)).isFalse();
      // A late poll of the stopped run does not either.
      assertThat(agent.pollRaw(1, "run-1").status()).isEqualTo(200);
      assertThat(online(engine)).isFalse();

      // Started again: its first poll brings it back.
      agent.pollNow(1);
      assertThat(online(engine)).isTrue();
      assertThat(engine.post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async").status())
          .isEqualTo(202);
    }
  }

  @Test
  void anotherRelaySharingTheDatabaseHearsThatTheAgentStopped() {
    try (TestPostgres db = TestPostgres.create("agent_stop")) {
      RelayConfig config = TestRelay.config(dataDir).toBuilder().store(TestStore.settings(db))
          .agentOfflineAfter(Duration.ofSeconds(90)).build();
      try (Relay a = Relay.start(config); Relay b = Relay.start(config)) {
        String tenant = a.admin().createTenant("acme");
        String apiKey = a.admin().createApiKey(tenant).key();
        FakeAgent agentOnA = FakeAgent.enrollWithKeyPair(a.baseUrl(),
            a.admin().createEnrollmentToken(tenant, "default", Duration.ofMinutes(10)));
        FakeAgent agentOnB = agentOnA.at(b.baseUrl());
        // Behind a balancer the agent's polls reach both relays: each has it in its memory.
        agentOnA.pollNow(1);
        agentOnB.pollNow(1);
        Engine engineOnB = new Engine(b.baseUrl(), apiKey);
        assertThat(online(engineOnB)).isTrue();

        assertThat(agentOnA.stopPolling("run-1").status()).isEqualTo(204);

        // B hears it through PostgreSQL's notification, within moments rather than relay.agent-offline-after.
        Fixtures.await("relay B to count the stopped agent offline", Duration.ofSeconds(10), () -> !online(engineOnB));
        Reply refused = engineOnB.post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.problem().code()).isEqualTo("FERRY-RELAY-0301");
        // A relay that never saw the agent reads the store: offline as well.
        try (Relay c = Relay.start(config)) {
          assertThat(online(new Engine(c.baseUrl(), apiKey))).isFalse();
        }
      }
    }
  }

  private static boolean online(Engine engine) {
    Reply reply = engine.get("/v1/connection");
    assertThat(reply.status()).isEqualTo(200);
    return reply.json().get("agentOnline").asBoolean();
  }
}
