package io.ferry.relay.auth;

import io.ferry.relay.store.AccessStore;
import java.time.Clock;
import java.util.Optional;

/** Checks presented API keys and agent keys against their stored hashes. */
public final class Authenticator {

  private final AccessStore store;
  private final Clock clock;

  public Authenticator(AccessStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * The tenant, id and scopes of a valid API key that is neither revoked nor expired; empty for
   * anything else. Read from the store on every request, so a revocation counts at once.
   */
  public Optional<ApiCaller> callerOfApiKey(String presented) {
    return Credential.parse(Credential.API_KEY, presented)
        .flatMap(key -> store.findApiKey(key.id())
            .filter(row -> row.revokedAt() == null)
            .filter(row -> row.expiresAt() == null || row.expiresAt().isAfter(clock.instant()))
            .filter(row -> key.matches(row.keyHash()))
            .map(row -> new ApiCaller(row.tenantId(), row.id(), Scope.split(row.scopes()))));
  }

  /** The agent a valid agent key belongs to, unless it is disabled; empty for anything else. */
  public Optional<AgentIdentity> agentOfKey(String presented) {
    return Credential.parse(Credential.AGENT_KEY, presented)
        .flatMap(key -> store.findAgent(key.id())
            .filter(row -> row.disabledAt() == null)
            .filter(row -> key.matches(row.keyHash()))
            .map(row -> new AgentIdentity(row.id(), row.tenantId(), row.agentGroup())));
  }
}
