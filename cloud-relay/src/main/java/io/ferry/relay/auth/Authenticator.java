package io.ferry.relay.auth;

import io.ferry.relay.store.AccessStore;
import java.util.Optional;

/** Checks presented API keys and agent keys against their stored hashes. */
public final class Authenticator {

  private final AccessStore store;

  public Authenticator(AccessStore store) {
    this.store = store;
  }

  /** The tenant and id of a valid, unrevoked API key; empty for anything else. */
  public Optional<ApiCaller> callerOfApiKey(String presented) {
    return Credential.parse(Credential.API_KEY, presented)
        .flatMap(key -> store.findApiKey(key.id())
            .filter(row -> row.revokedAt() == null)
            .filter(row -> key.matches(row.keyHash()))
            .map(row -> new ApiCaller(row.tenantId(), row.id())));
  }

  /** The agent a valid agent key belongs to; empty for anything else. */
  public Optional<AgentIdentity> agentOfKey(String presented) {
    return Credential.parse(Credential.AGENT_KEY, presented)
        .flatMap(key -> store.findAgent(key.id())
            .filter(row -> key.matches(row.keyHash()))
            .map(row -> new AgentIdentity(row.id(), row.tenantId(), row.agentGroup())));
  }
}
