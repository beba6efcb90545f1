package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentSessionTokenTest {

  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  private static final String AGENT = "01JD4Y6Q8V3T6R2M7K9X0B1C2D";
  private static final String SESSION = AgentSessionToken.session(AGENT, NOW.getEpochSecond() + 600, "abcDEF012_-x");
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

  @Test
  void aHeaderParsesBackAndVerifiesForItsMethodAndPathOnly() {
    String header = AgentSessionToken.header(SESSION, SECRET, "POST", Protocol.POLL_PATH, NOW);

    AgentSessionToken token = AgentSessionToken.parse(header).orElseThrow();
    assertThat(token.agentId()).isEqualTo(AGENT);
    assertThat(token.session()).isEqualTo(SESSION);
    assertThat(token.verify(SECRET, "post", Protocol.POLL_PATH)).isTrue();
    assertThat(token.verify(SECRET, "POST", Protocol.KEY_PATH)).isFalse();
    assertThat(token.verify(SECRET, "DELETE", Protocol.POLL_PATH)).isFalse();
    assertThat(token.verify("another secret of 32 bytes......".getBytes(), "POST", Protocol.POLL_PATH)).isFalse();
  }

  @Test
  void eachHeaderHasItsOwnNonce() {
    String a = AgentSessionToken.header(SESSION, SECRET, "POST", Protocol.POLL_PATH, NOW);
    String b = AgentSessionToken.header(SESSION, SECRET, "POST", Protocol.POLL_PATH, NOW);
    assertThat(AgentSessionToken.parse(a).orElseThrow().nonce()).isNotEqualTo(AgentSessionToken.parse(b).orElseThrow().nonce());
  }

  @Test
  void aChangedSessionOrTimeNoLongerVerifies() {
    String header = AgentSessionToken.header(SESSION, SECRET, "POST", Protocol.POLL_PATH, NOW);
    String longer = header.replace("." + (NOW.getEpochSecond() + 600) + ".", "." + (NOW.getEpochSecond() + 99999) + ".");
    String later = header.replace("." + NOW.getEpochSecond() + ".", "." + (NOW.getEpochSecond() + 1) + ".");

    assertThat(AgentSessionToken.parse(longer).orElseThrow().verify(SECRET, "POST", Protocol.POLL_PATH)).isFalse();
    assertThat(AgentSessionToken.parse(later).orElseThrow().verify(SECRET, "POST", Protocol.POLL_PATH)).isFalse();
  }

  @Test
  void freshnessIsTheSignedTokensSkewAndTheSessionsEnd() {
    AgentSessionToken token = AgentSessionToken.parse(
        AgentSessionToken.header(SESSION, SECRET, "POST", Protocol.POLL_PATH, NOW)).orElseThrow();

    assertThat(token.freshAt(NOW.plus(Duration.ofMinutes(4)))).isTrue();
    assertThat(token.freshAt(NOW.minus(Duration.ofMinutes(6)))).isFalse();
    assertThat(token.freshAt(NOW.plus(Duration.ofMinutes(6)))).isFalse();
    AgentSessionToken ended = AgentSessionToken.parse(AgentSessionToken.header(
        AgentSessionToken.session(AGENT, NOW.getEpochSecond(), "tag"), SECRET, "POST", "/p", NOW)).orElseThrow();
    assertThat(ended.freshAt(NOW)).isFalse();
  }

  @Test
  void anythingElseIsNotASessionToken() {
    assertThat(AgentSessionToken.parse(null)).isEmpty();
    assertThat(AgentSessionToken.parse("Bearer x")).isEmpty();
    assertThat(AgentSessionToken.parse("Ferry-Session a.b.c.d.e.f")).isEmpty();
    assertThat(AgentSessionToken.parse("Ferry-Session " + SESSION + ".1.n")).isEmpty();
    assertThat(AgentSessionToken.parse("Ferry-Session " + "x".repeat(600))).isEmpty();
    assertThat(AgentSessionToken.parse("Ferry-Session " + SESSION + ".1.n!.m")).isEmpty();
  }

  @Test
  void theSecretOpensOnlyWithTheAgentsKeyAndForItsSession() {
    java.security.KeyPair agent = AgentToken.newKeyPair();
    AgentSession session = new AgentSession(SESSION, AgentSession.seal(SECRET, agent.getPublic(), SESSION), 600);

    assertThat(session.open(agent.getPrivate())).isEqualTo(SECRET);
    assertThat(session.sealedSecret()).doesNotContain(java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(SECRET).substring(0, 20));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> session.open(AgentToken.newKeyPair().getPrivate()))
        .isInstanceOf(IllegalArgumentException.class);
    AgentSession moved = new AgentSession(SESSION.replace("abc", "xyz"), session.sealedSecret(), 600);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> moved.open(agent.getPrivate()))
        .as("sealed for another session").isInstanceOf(IllegalArgumentException.class);
    AgentSession junk = new AgentSession(SESSION, "AAAA", 600);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> junk.open(agent.getPrivate()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
