package io.ferry.relay;

import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.store.TestStore;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.AgentToken;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.Protocol;
import io.ferry.testing.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A captured signed agent token ({@code Ferry-Agent}) is good for one request — also after the relay that
 * took it restarted, and on another relay sharing its PostgreSQL database: its use is in the store, not only
 * in the memory of the process that saw it.
 */
class SingleUseAgentTokenTest {

  @TempDir
  Path dataDir;

  private static final PollRequest POLL = new PollRequest(Protocol.VERSION, 1, 0, "0.1.0", "bapi", 0, null);

  @Test
  void aTokenUsedBeforeARestartIsRefusedAfterIt() {
    TestRelay before = TestRelay.start(dataDir, c -> c);
    FakeAgent agent = FakeAgent.enrollWithKeyPair(before.base(), before.tenant().enrollmentToken());
    String captured = AgentToken.sign(agent.keys.getPrivate(), agent.identity.agentId(), "POST", Protocol.POLL_PATH,
        Instant.now());
    assertThat(agent.postWith(captured, Protocol.POLL_PATH, POLL).status()).isEqualTo(200);

    // The same SQLite file, a new relay process state: nothing of the first one's memory survives.
    try (TestRelay after = before.restart()) {
      FakeAgent attacker = agent.at(after.base());
      Reply replayed = attacker.postWith(captured, Protocol.POLL_PATH, POLL);
      assertThat(replayed.status()).isEqualTo(401);
      assertThat(replayed.problem().code()).isEqualTo("FERRY-RELAY-0203");
      // The agent itself, with a token of its own, goes on working.
      assertThat(attacker.pollRaw(1).status()).isEqualTo(200);
    }
  }

  @Test
  void aTokenUsedOnOneRelayIsRefusedOnAnotherSharingTheDatabase() {
    try (TestPostgres db = TestPostgres.create("single_use")) {
      RelayConfig config = TestRelay.config(dataDir).toBuilder().store(TestStore.settings(db)).build();
      try (Relay a = Relay.start(config); Relay b = Relay.start(config)) {
        String tenant = a.admin().createTenant("acme");
        FakeAgent agentOnA = FakeAgent.enrollWithKeyPair(a.baseUrl(),
            a.admin().createEnrollmentToken(tenant, "default", Duration.ofMinutes(10)));
        String captured = AgentToken.sign(agentOnA.keys.getPrivate(), agentOnA.identity.agentId(), "POST",
            Protocol.POLL_PATH, Instant.now());
        assertThat(agentOnA.postWith(captured, Protocol.POLL_PATH, POLL).status()).isEqualTo(200);

        FakeAgent attackerOnB = agentOnA.at(b.baseUrl());
        Reply replayed = attackerOnB.postWith(captured, Protocol.POLL_PATH, POLL);
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.problem().code()).isEqualTo("FERRY-RELAY-0203");
        // And the other way round, for a token B saw first.
        String second = AgentToken.sign(agentOnA.keys.getPrivate(), agentOnA.identity.agentId(), "POST",
            Protocol.POLL_PATH, Instant.now());
        assertThat(attackerOnB.postWith(second, Protocol.POLL_PATH, POLL).status()).isEqualTo(200);
        assertThat(agentOnA.postWith(second, Protocol.POLL_PATH, POLL).status()).isEqualTo(401);
      }
    }
  }
}
