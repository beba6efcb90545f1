package io.ferry.relay.auth;

import io.ferry.protocol.EnrollRequest;
import io.ferry.protocol.EnrollResponse;
import io.ferry.protocol.Protocol;
import io.ferry.relay.store.AccessStore;
import io.ferry.relay.store.AccessStore.AgentRecord;
import io.ferry.relay.store.Ulid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Trades a one-time enrollment token for an agent identity and a fresh agent key. */
public final class Enrollment {

  /** How long an agent's previous public key keeps working after a rotation. */
  public static final Duration KEY_OVERLAP = Duration.ofMinutes(10);
  private static final String NO_BEARER_KEY = "-";

  private final AccessStore store;
  private final Clock clock;

  private final String relayPublicKey;

  public Enrollment(AccessStore store, Clock clock) {
    this(store, clock, null);
  }

  /** @param relayPublicKey the job-signing key the agent pins (see {@link JobSigningKey}) */
  public Enrollment(AccessStore store, Clock clock, String relayPublicKey) {
    this.store = store;
    this.clock = clock;
    this.relayPublicKey = relayPublicKey;
  }

  /**
   * Enrolls an agent. Empty when the token is unknown, wrong, expired or used: the caller cannot
   * tell which, and should not. The token is consumed in the same transaction that adds the agent,
   * so one token enrolls at most one agent even when two agents race with it.
   */
  public Optional<EnrollResponse> enroll(EnrollRequest request) {
    Instant now = clock.instant();
    Optional<Credential> token = Credential.parse(Credential.ENROLLMENT_TOKEN, request.token());
    if (token.isEmpty()) {
      return Optional.empty();
    }
    Optional<AccessStore.EnrollmentTokenRecord> row = store.findEnrollmentToken(token.get().id())
        .filter(t -> token.get().matches(t.tokenHash()))
        .filter(t -> t.usedAt() == null && t.expiresAt().isAfter(now));
    if (row.isEmpty()) {
      return Optional.empty();
    }
    String agentId = Ulid.next();
    // With a public key the agent signs its requests and gets no bearer key: '-' matches no key.
    boolean keyPair = request.publicKey() != null;
    Credential key = keyPair ? null : Credential.generate(Credential.AGENT_KEY, agentId);
    // Enrolling is contact: the agent counts as seen, so an engine may send work right away.
    AgentRecord agent = new AgentRecord(agentId, row.get().tenantId(), row.get().agentGroup(),
        keyPair ? NO_BEARER_KEY : key.hash(),
        clip(request.agentName(), 200), clip(request.hostname(), 255), clip(request.agentVersion(), 64), null,
        now, now, 0, null,
        keyPair ? request.publicKey().strip() : null, null, null);
    if (!store.enrollAgent(token.get().id(), agent, now)) {
      return Optional.empty();
    }
    return Optional.of(new EnrollResponse(Protocol.VERSION, agentId, agent.tenantId(), agent.agentGroup(),
        keyPair ? null : key.value(), relayPublicKey));
  }

  /**
   * Registers {@code publicKey} as the agent's key. The key it signed this request with (if it had a
   * key pair) stays valid for {@link #KEY_OVERLAP}; a bearer key stops working at once, since the
   * agent has just proven it holds the new private key's partner. Returns until when the old key works.
   */
  public Instant changeKey(AgentIdentity agent, String publicKey) {
    Instant until = clock.instant().plus(KEY_OVERLAP);
    store.changeAgentKey(agent.agentId(), publicKey.strip(), until);
    return until;
  }

  private static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
