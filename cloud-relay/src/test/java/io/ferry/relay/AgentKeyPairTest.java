package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.AgentKeyChange;
import io.ferry.protocol.AgentToken;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.Protocol;
import io.ferry.testing.ManualClock;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agents enrolled with a key pair: signed, short-lived, single-use tokens; disabling; rotation with overlap. */
class AgentKeyPairTest {

  @TempDir
  Path dataDir;

  private static final PollRequest POLL = new PollRequest(Protocol.VERSION, 1, 0, "0.1.0", "bapi", 0, null);

  @Test
  void anAgentWithAKeyPairGetsNoBearerKeyAndWorksWithSignedTokens() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      assertThat(agent.identity.agentKey()).isNull();
      tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      JobEnvelope job = agent.takeOne();
      // The job carries the relay's signature, by the key the agent got (and pins) at enrollment.
      java.security.PublicKey relayKey = AgentToken.decodePublicKey(agent.identity.relayPublicKey()).orElseThrow();
      assertThat(io.ferry.protocol.JobSignature.verify(relayKey, job)).isTrue();
      java.nio.file.Path keyFile = dataDir.resolve(io.ferry.relay.auth.JobSigningKey.FILE_NAME);
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
          java.nio.file.Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
      agent.succeed(job, Fixtures.created(job.customer(), "0000100001"));
      assertThat(agent.stopPolling("run-1").status()).isEqualTo(204);
    }
  }

  @Test
  void aReplayedAStaleAForeignOrAMisdirectedTokenIsRefused() {
    ManualClock clock = ManualClock.now();
    try (TestRelay relay = TestRelay.start(dataDir, c -> c, clock)) {
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), relay.tenant().enrollmentToken());
      String id = agent.identity.agentId();

      String token = AgentToken.sign(agent.keys.getPrivate(), id, "POST", Protocol.POLL_PATH, clock.instant());
      assertThat(agent.postWith(token, Protocol.POLL_PATH, POLL).status()).isEqualTo(200);
      Reply replayed = agent.postWith(token, Protocol.POLL_PATH, POLL);
      assertThat(replayed.status()).isEqualTo(401);
      assertThat(replayed.problem().code()).isEqualTo("FERRY-RELAY-0203");

      String stale = AgentToken.sign(agent.keys.getPrivate(), id, "POST", Protocol.POLL_PATH,
          clock.instant().minus(Duration.ofMinutes(6)));
      assertThat(agent.postWith(stale, Protocol.POLL_PATH, POLL).status()).isEqualTo(401);
      String future = AgentToken.sign(agent.keys.getPrivate(), id, "POST", Protocol.POLL_PATH,
          clock.instant().plus(Duration.ofMinutes(6)));
      assertThat(agent.postWith(future, Protocol.POLL_PATH, POLL).status()).isEqualTo(401);

      KeyPair thief = AgentToken.newKeyPair();
      String forged = AgentToken.sign(thief.getPrivate(), id, "POST", Protocol.POLL_PATH, clock.instant());
      assertThat(agent.postWith(forged, Protocol.POLL_PATH, POLL).status()).isEqualTo(401);

      String forAnotherPath = AgentToken.sign(agent.keys.getPrivate(), id, "POST", Protocol.KEY_PATH, clock.instant());
      assertThat(agent.postWith(forAnotherPath, Protocol.POLL_PATH, POLL).status()).isEqualTo(401);

      String altered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
      assertThat(agent.postWith(altered, Protocol.POLL_PATH, POLL).status()).isEqualTo(401);
    }
  }

  @Test
  void aDisabledAgentIsCutOffAtItsNextSignedRequest() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      assertThat(agent.pollRaw(1).status()).isEqualTo(200);
      relay.relay.admin().disableAgent(tenant.id(), agent.identity.agentId());
      assertThat(agent.pollRaw(1).status()).isEqualTo(401);
    }
  }

  @Test
  void aRotationKeepsTheOldKeyForTheOverlapOnly() {
    ManualClock clock = ManualClock.now();
    try (TestRelay relay = TestRelay.start(dataDir, c -> c, clock)) {
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), relay.tenant().enrollmentToken());
      agent.clock = clock;
      KeyPair old = agent.keys;
      KeyPair fresh = AgentToken.newKeyPair();
      Reply changed = agent.postWith(agent.authorization("POST", Protocol.KEY_PATH), Protocol.KEY_PATH,
          new AgentKeyChange(Protocol.VERSION, AgentToken.encodePublicKey(fresh.getPublic()), null));
      assertThat(changed.status()).isEqualTo(200);
      Instant until = changed.as(AgentKeyChange.class).previousKeyValidUntil();
      assertThat(until).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));

      agent.keys = fresh;
      assertThat(agent.pollRaw(1).status()).isEqualTo(200);
      agent.keys = old;
      assertThat(agent.pollRaw(1).status()).isEqualTo(200); // still inside the overlap
      clock.advance(Duration.ofMinutes(11));
      assertThat(agent.pollRaw(1).status()).isEqualTo(401);
      agent.keys = fresh;
      assertThat(agent.pollRaw(1).status()).isEqualTo(200);
    }
  }

  @Test
  void aBearerAgentMovesToAKeyPairAndItsBearerKeyStopsAtOnce() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      FakeAgent agent = relay.tenant().enrollAgent();
      assertThat(agent.identity.agentKey()).startsWith("fa_");
      KeyPair fresh = AgentToken.newKeyPair();
      Reply changed = agent.postWith("Bearer " + agent.identity.agentKey(), Protocol.KEY_PATH,
          new AgentKeyChange(Protocol.VERSION, AgentToken.encodePublicKey(fresh.getPublic()), null));
      assertThat(changed.status()).isEqualTo(200);
      assertThat(agent.pollRaw(1).status()).isEqualTo(401);
      agent.keys = fresh;
      assertThat(agent.pollRaw(1).status()).isEqualTo(200);
    }
  }

  @Test
  void aPublicKeyThatIsNoP256KeyIsRefused() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      Reply reply = Http.send(new okhttp3.Request.Builder().url(relay.base() + Protocol.ENROLL_PATH)
          .post(Http.json("{\"protocolVersion\":1,\"token\":\"" + tenant.enrollmentToken()
              + "\",\"publicKey\":\"bm90IGEga2V5\"}")).build());
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0108");
    }
  }
}
