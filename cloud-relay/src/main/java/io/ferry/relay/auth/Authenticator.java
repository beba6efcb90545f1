package io.ferry.relay.auth;

import io.ferry.protocol.AgentToken;
import io.ferry.relay.store.AccessStore;
import io.ferry.relay.store.AccessStore.AgentRecord;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Checks presented API keys and agent keys against their stored hashes. */
public final class Authenticator {

  private final AccessStore store;
  private final Clock clock;
  /** A token is fresh for MAX_SKEW either way: its nonce must be remembered for both halves. */
  private final ReplayGuard replays = new ReplayGuard(AgentToken.MAX_SKEW.multipliedBy(2));

  public Authenticator(AccessStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * The agent of a {@code Ferry-Agent} token (see {@link AgentToken}) for this {@code method} and
   * {@code path}: signed by the agent's public key (or, during a rotation's overlap, its previous
   * one), issued within {@link AgentToken#MAX_SKEW} of now, its nonce not seen before, the agent not
   * disabled. Empty for anything else.
   */
  public Optional<AgentIdentity> agentOfToken(String authorization, String method, String path) {
    Instant now = clock.instant();
    return AgentToken.parse(authorization)
        .filter(token -> token.freshAt(now))
        .flatMap(token -> store.findAgent(token.agentId())
            .filter(row -> row.disabledAt() == null)
            .filter(row -> signedBy(token, row, method, path, now))
            .filter(row -> replays.firstUse(token.agentId(), token.nonce(), now))
            .map(row -> new AgentIdentity(row.id(), row.tenantId(), row.agentGroup())));
  }

  private static boolean signedBy(AgentToken token, AgentRecord row, String method, String path, Instant now) {
    if (verifies(token, row.publicKey(), method, path)) {
      return true;
    }
    return row.previousKeyUntil() != null && row.previousKeyUntil().isAfter(now)
        && verifies(token, row.previousPublicKey(), method, path);
  }

  private static boolean verifies(AgentToken token, String encodedKey, String method, String path) {
    Optional<PublicKey> key = AgentToken.decodePublicKey(encodedKey);
    return key.isPresent() && token.verify(key.get(), method, path);
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
