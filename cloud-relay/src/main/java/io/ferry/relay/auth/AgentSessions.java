package io.ferry.relay.auth;

import io.ferry.protocol.AgentSession;
import io.ferry.protocol.AgentSessionToken;
import io.ferry.protocol.AgentToken;
import java.security.PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Sessions of agents with key pairs, kept nowhere: a session's secret is an HMAC of its name under a key
 * derived from relay.key, so any relay sharing relay.key recomputes it, and a relay restart keeps
 * sessions. The name binds the agent, the end time and a tag of the public key that opened it, so a key
 * rotation ends the old key's sessions with the key's overlap.
 */
public final class AgentSessions {

  /**
   * Opening a session costs the relay three P-256 operations; at an hour, ten thousand agents open about
   * three a second. The secret never leaves agent and relay unsealed, and disabling an agent or the end
   * of its key ends its sessions at once, so a long one gives little away.
   */
  public static final Duration LIFETIME = Duration.ofHours(1);
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();

  private final byte[] key;

  private AgentSessions(byte[] key) {
    this.key = key.clone();
  }

  public static AgentSessions of(SecretBox secretBox) {
    return new AgentSessions(secretBox.derive("ferry agent sessions v1"));
  }

  /** Sessions under a key of their own: for a relay (or test) without relay.key. */
  static AgentSessions withRandomKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return new AgentSessions(key);
  }

  /** A session for the agent whose {@code publicKey} signed the request; its secret sealed to that key. */
  AgentSession open(String agentId, String publicKey, Instant now) {
    String session = AgentSessionToken.session(agentId, now.plus(LIFETIME).getEpochSecond(), keyTag(publicKey));
    PublicKey key = AgentToken.decodePublicKey(publicKey)
        .orElseThrow(() -> new IllegalStateException("agent " + agentId + " has a stored public key that is not P-256"));
    return new AgentSession(session, AgentSession.seal(secret(session), key, session), (int) LIFETIME.toSeconds());
  }

  byte[] secret(String session) {
    return AgentSessionToken.hmac(key, "session\n" + session);
  }

  /** 72 bits of the public key's SHA-256: enough to tell an agent's keys apart, short in every header. */
  static String keyTag(String publicKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getBytes(StandardCharsets.US_ASCII));
      return ENC.encodeToString(Arrays.copyOf(digest, 9));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
