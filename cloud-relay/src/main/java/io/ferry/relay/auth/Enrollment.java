package io.ferry.relay.auth;

import io.ferry.protocol.EnrollRequest;
import io.ferry.protocol.EnrollResponse;
import io.ferry.protocol.Protocol;
import io.ferry.relay.store.AccessStore;
import io.ferry.relay.store.AccessStore.AgentRecord;
import io.ferry.relay.store.Ulid;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Trades a one-time enrollment token for an agent identity and a fresh agent key. */
public final class Enrollment {

  private final AccessStore store;
  private final Clock clock;

  public Enrollment(AccessStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
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
    Credential key = Credential.generate(Credential.AGENT_KEY, agentId);
    // Enrolling is contact: the agent counts as seen, so an engine may send work right away.
    AgentRecord agent = new AgentRecord(agentId, row.get().tenantId(), row.get().agentGroup(), key.hash(),
        clip(request.agentName(), 200), clip(request.hostname(), 255), clip(request.agentVersion(), 64), null,
        now, now, 0, null);
    if (!store.enrollAgent(token.get().id(), agent, now)) {
      return Optional.empty();
    }
    return Optional.of(new EnrollResponse(Protocol.VERSION, agentId, agent.tenantId(), agent.agentGroup(),
        key.value()));
  }

  private static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
