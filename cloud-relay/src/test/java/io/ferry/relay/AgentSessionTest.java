package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.AgentKeyChange;
import io.ferry.protocol.AgentSession;
import io.ferry.protocol.AgentSessionToken;
import io.ferry.protocol.AgentToken;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobSignature;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.PollResponse;
import io.ferry.protocol.Protocol;
import io.ferry.testing.ManualClock;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions: one signed request opens one, then each request carries a MAC with the session's secret,
 * with the signed token's guarantees — one method and path, ±5 minutes, accepted once — and the
 * session ends with its time, the agent's disabling or the end of the key that opened it.
 */
class AgentSessionTest {

  @TempDir
  Path dataDir;

  private static final PollRequest POLL = new PollRequest(Protocol.VERSION, 1, 0, "0.1.0", "bapi", 0, null);

  /** A session as the agent holds it: its name and the secret it opened with its private key. */
  private record Opened(String session, byte[] secret, int expiresInSeconds) {}

  private static Opened open(FakeAgent agent) {
    Reply reply = agent.postWith(agent.authorization("POST", Protocol.SESSION_PATH), Protocol.SESSION_PATH, Map.of());
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    AgentSession answer = reply.as(AgentSession.class);
    return new Opened(answer.session(), answer.open(agent.keys.getPrivate()), answer.expiresInSeconds());
  }

  private static String inSession(Opened session, String path, ManualClock clock) {
    return AgentSessionToken.header(session.session(), session.secret(), "POST", path, clock.instant());
  }

  @Test
  void aSessionAuthorizesRequestsWithAMacOnceEachForTheirOwnPath() {
    ManualClock clock = ManualClock.now();
    try (TestRelay relay = TestRelay.start(dataDir, c -> c, clock)) {
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), relay.tenant().enrollmentToken());
      agent.clock = clock;
      Opened session = open(agent);
      assertThat(session.expiresInSeconds()).isEqualTo(3600);
      assertThat(session.session()).startsWith(agent.identity.agentId() + ".");

      String header = inSession(session, Protocol.POLL_PATH, clock);
      assertThat(agent.postWith(header, Protocol.POLL_PATH, POLL).status()).isEqualTo(200);
      Reply replayed = agent.postWith(header, Protocol.POLL_PATH, POLL);
      assertThat(replayed.status()).isEqualTo(401);
      assertThat(replayed.problem().code()).isEqualTo("FERRY-RELAY-0203");
      assertThat(replayed.header("WWW-Authenticate")).startsWith("Ferry-Session");

      assertThat(agent.postWith(inSession(session, Protocol.KEY_PATH, clock), Protocol.POLL_PATH, POLL).status())
          .as("made for another path").isEqualTo(401);
      Opened forged = new Opened(session.session(), new byte[32], 3600);
      assertThat(agent.postWith(inSession(forged, Protocol.POLL_PATH, clock), Protocol.POLL_PATH, POLL).status())
          .as("a guessed secret").isEqualTo(401);
      String otherAgent = session.session().replace(agent.identity.agentId(), "01JD4Y6Q8V3T6R2M7K9X0B1C2D");
      assertThat(agent.postWith(inSession(new Opened(otherAgent, session.secret(), 3600), Protocol.POLL_PATH,
          clock), Protocol.POLL_PATH, POLL).status()).as("another agent's name on this secret").isEqualTo(401);

      clock.advance(Duration.ofMinutes(59));
      assertThat(agent.postWith(inSession(session, Protocol.POLL_PATH, clock), Protocol.POLL_PATH, POLL).status())
          .isEqualTo(200);
      clock.advance(Duration.ofMinutes(2));
      agent.clock = clock;
      assertThat(agent.postWith(inSession(session, Protocol.POLL_PATH, clock), Protocol.POLL_PATH, POLL).status())
          .as("the session has ended").isEqualTo(401);
      Opened next = open(agent);
      assertThat(agent.postWith(inSession(next, Protocol.POLL_PATH, clock), Protocol.POLL_PATH, POLL).status())
          .isEqualTo(200);
    }
  }

  @Test
  void aJobHandedToAPollInASessionIsSignedWithTheSessionsSecretAndOtherwiseWithTheRelaysKey() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Opened session = open(agent);
      tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      Reply inSession = agent.postWith(inSession(session, Protocol.POLL_PATH, ManualClock.now()), Protocol.POLL_PATH,
          POLL);
      JobEnvelope macced = inSession.as(PollResponse.class).jobs().getFirst();
      assertThat(JobSignature.sessionOf(macced)).contains(session.session());
      assertThat(JobSignature.verifyMac(session.secret(), macced)).isTrue();
      assertThat(JobSignature.verifyMac(new byte[32], macced)).isFalse();

      tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      JobEnvelope signed = agent.takeOne(); // a poll signed with the agent's key: no session to sign with
      PublicKey relayKey = AgentToken.decodePublicKey(agent.identity.relayPublicKey()).orElseThrow();
      assertThat(JobSignature.sessionOf(signed)).isEmpty();
      assertThat(JobSignature.verify(relayKey, signed)).isTrue();
    }
  }

  @Test
  void onlyASignatureOpensASession() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent signed = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Opened session = open(signed);
      ManualClock now = ManualClock.now();
      assertThat(signed.postWith(inSession(session, Protocol.SESSION_PATH, now), Protocol.SESSION_PATH, Map.of())
          .status()).as("a session does not open the next").isEqualTo(401);

      FakeAgent bearer = relay.tenant().enrollAgent();
      Reply refused = bearer.postWith("Bearer " + bearer.identity.agentKey(), Protocol.SESSION_PATH, Map.of());
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.problem().detail()).contains("rotate-key");
    }
  }

  @Test
  void aDisabledAgentsSessionEndsAtOnce() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Opened session = open(agent);
      ManualClock now = ManualClock.now();
      assertThat(agent.postWith(inSession(session, Protocol.POLL_PATH, now), Protocol.POLL_PATH, POLL).status())
          .isEqualTo(200);
      relay.relay.admin().disableAgent(tenant.id(), agent.identity.agentId());
      assertThat(agent.postWith(inSession(session, Protocol.POLL_PATH, now), Protocol.POLL_PATH, POLL).status())
          .isEqualTo(401);
    }
  }

  @Test
  void aSessionOpenedWithThePreviousKeyEndsWithTheKeysOverlap() {
    ManualClock clock = ManualClock.now();
    try (TestRelay relay = TestRelay.start(dataDir, c -> c, clock)) {
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), relay.tenant().enrollmentToken());
      agent.clock = clock;
      KeyPair fresh = AgentToken.newKeyPair();
      assertThat(agent.postWith(agent.authorization("POST", Protocol.KEY_PATH), Protocol.KEY_PATH,
          new AgentKeyChange(Protocol.VERSION, AgentToken.encodePublicKey(fresh.getPublic()), null)).status())
          .isEqualTo(200);
      clock.advance(Duration.ofMinutes(5));
      Opened withOldKey = open(agent); // still signed with the previous key, inside the overlap
      agent.keys = fresh;
      Opened withNewKey = open(agent);

      clock.advance(Duration.ofMinutes(4));
      assertThat(agent.postWith(inSession(withOldKey, Protocol.POLL_PATH, clock), Protocol.POLL_PATH, POLL).status())
          .as("inside the overlap").isEqualTo(200);
      clock.advance(Duration.ofSeconds(61));
      assertThat(agent.postWith(inSession(withOldKey, Protocol.POLL_PATH, clock), Protocol.POLL_PATH, POLL).status())
          .as("the previous key's overlap has ended, the session not yet").isEqualTo(401);
      assertThat(agent.postWith(inSession(withNewKey, Protocol.POLL_PATH, clock), Protocol.POLL_PATH, POLL).status())
          .isEqualTo(200);
    }
  }

  @Test
  void aSessionOpenedBeforeARestartIsRefusedAfterItSoACapturedTokenCannotBeReplayed() {
    ManualClock clock = ManualClock.now();
    FakeAgent agent;
    Opened session;
    String captured;
    try (TestRelay relay = TestRelay.start(dataDir, c -> c, clock)) {
      agent = FakeAgent.enrollWithKeyPair(relay.base(), relay.tenant().enrollmentToken());
      agent.clock = clock;
      session = open(agent);
      captured = inSession(session, Protocol.POLL_PATH, clock);
      assertThat(agent.postWith(captured, Protocol.POLL_PATH, POLL).status()).isEqualTo(200);
    }
    clock.advance(Duration.ofSeconds(2));
    try (TestRelay again = TestRelay.start(dataDir, c -> c, clock)) {
      FakeAgent same = agent.at(again.base());
      // the token an eavesdropper kept, replayed after the restart (its nonce was only in the old process's memory)
      assertThat(same.postWith(captured, Protocol.POLL_PATH, POLL).status()).isEqualTo(401);
      // a fresh token of the old session too: the agent then signs and opens a new session, as it does on any refusal
      assertThat(same.postWith(inSession(session, Protocol.POLL_PATH, clock), Protocol.POLL_PATH, POLL).status())
          .isEqualTo(401);
      Opened renewed = open(same);
      assertThat(same.postWith(inSession(renewed, Protocol.POLL_PATH, clock), Protocol.POLL_PATH, POLL).status())
          .isEqualTo(200);
    }
  }
}
