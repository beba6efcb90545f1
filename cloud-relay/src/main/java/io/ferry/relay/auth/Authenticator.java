package io.ferry.relay.auth;

import io.ferry.protocol.AgentSession;
import io.ferry.protocol.AgentSessionToken;
import io.ferry.protocol.AgentToken;
import io.ferry.relay.store.AccessStore;
import io.ferry.relay.store.AccessStore.AgentRecord;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Checks presented API keys and agent keys against their stored hashes. */
public final class Authenticator {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Authenticator.class);

  private final AccessStore store;
  private final Clock clock;
  /**
   * How long after its issue time a token's use is remembered: it is fresh until MAX_SKEW after it, and a
   * minute more covers relays whose clocks differ a little.
   */
  static final Duration REMEMBER_AFTER_ISSUE = AgentToken.MAX_SKEW.plusMinutes(1);
  /** Session tokens' nonces, in memory: see {@link #agentOfSession}. */
  private final ReplayGuard sessionReplays = new ReplayGuard();
  private final AgentSessions sessions;
  /**
   * Sessions opened before this relay started are refused: the nonces they used live in the previous
   * process's memory only, so a token captured before a restart could be replayed after it. The agent
   * answers the refusal by signing the request and opening a new session (one signature per agent).
   */
  private final long startedAtSecond;

  public Authenticator(AccessStore store, Clock clock) {
    this(store, clock, AgentSessions.withRandomKey());
  }

  public Authenticator(AccessStore store, Clock clock, AgentSessions sessions) {
    this.store = store;
    this.clock = clock;
    this.sessions = sessions;
    this.startedAtSecond = clock.instant().getEpochSecond();
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
            .filter(row -> keyThatSigned(token, row, method, path, now).isPresent())
            .filter(row -> firstUseOfSigned(token))
            .map(Authenticator::identity));
  }

  /**
   * A new session for the agent of a {@code Ferry-Agent} token, checked as {@link #agentOfToken} checks
   * it; the session is bound to the key that signed the token.
   */
  public Optional<AgentSession> openSession(String authorization, String method, String path) {
    Instant now = clock.instant();
    return AgentToken.parse(authorization)
        .filter(token -> token.freshAt(now))
        .flatMap(token -> store.findAgent(token.agentId())
            .filter(row -> row.disabledAt() == null)
            .flatMap(row -> keyThatSigned(token, row, method, path, now))
            .filter(key -> firstUseOfSigned(token))
            .map(key -> sessions.open(token.agentId(), key, now)));
  }

  /**
   * The agent of a {@code Ferry-Session} token (see {@link AgentSessionToken}) for this {@code method}
   * and {@code path}: its MAC made with the session's secret, issued within the skew, the session not
   * ended, its nonce not seen before, the agent not disabled and the key that opened the session still
   * the agent's (or, during a rotation's overlap, its previous one). The MAC is checked first: a forged
   * token costs no database read.
   */
  public Optional<AgentIdentity> agentOfSession(String authorization, String method, String path) {
    Instant now = clock.instant();
    return AgentSessionToken.parse(authorization)
        .filter(token -> token.freshAt(now))
        .filter(token -> token.verify(sessions.secret(token.session()), method, path))
        .filter(token -> token.expiresAt() - AgentSessions.LIFETIME.toSeconds() >= startedAtSecond)
        .flatMap(token -> store.findAgent(token.agentId())
            .filter(row -> row.disabledAt() == null)
            .filter(row -> holdsKey(row, token.keyTag(), now))
            .filter(row -> sessionReplays.firstUse(token.agentId(), token.nonce(),
                Instant.ofEpochSecond(token.issuedAt()).plus(REMEMBER_AFTER_ISSUE), now))
            .map(row -> new AgentIdentity(row.id(), row.tenantId(), row.agentGroup(), token.session())));
  }

  /**
   * Whether the session a stream was opened in still stands: not ended, the agent not disabled and the key
   * that opened it still the agent's. A stream is authenticated once, when it opens; each poll on it asks
   * this, so a disabled agent or a replaced key ends its streams at their next poll.
   */
  public boolean sessionStands(AgentIdentity agent) {
    SessionName name = SessionName.of(agent);
    Instant now = clock.instant();
    if (name == null || !name.agentId().equals(agent.agentId()) || !now.isBefore(name.end())) {
      return false;
    }
    return store.findAgent(agent.agentId())
        .filter(row -> row.disabledAt() == null)
        .filter(row -> holdsKey(row, name.keyTag(), now))
        .isPresent();
  }

  /** When a session ends, from its name; null for no session. */
  public static Instant sessionEnd(AgentIdentity agent) {
    SessionName name = SessionName.of(agent);
    return name == null ? null : name.end();
  }

  /** A session's name as the relay issues it: {@code <agentId>.<expiresAt>.<keyTag>}. */
  private record SessionName(String agentId, Instant end, String keyTag) {
    static SessionName of(AgentIdentity agent) {
      String[] parts = agent.session() == null ? new String[0] : agent.session().split("\\.");
      try {
        return parts.length == 3 ? new SessionName(parts[0], Instant.ofEpochSecond(Long.parseLong(parts[1])), parts[2])
            : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /**
   * A signed token is single-use everywhere: its nonce goes into the store, under a unique key, before the
   * request is acted on, so a replay is refused after a restart of this relay and on every other relay
   * sharing the store. Checked after the signature: a forged token costs no write.
   */
  private boolean firstUseOfSigned(AgentToken token) {
    return store.firstTokenUse(token.agentId(), token.nonce(),
        Instant.ofEpochSecond(token.issuedAt()).plus(REMEMBER_AFTER_ISSUE));
  }

  /** Forgets the token uses that can no longer matter; for a scheduler, so a failure waits for the next run. */
  public void purgeTokenUses() {
    try {
      int purged = store.purgeTokenUses(clock.instant());
      if (purged > 0) {
        LOG.debug("forgot {} expired agent token use(s)", purged);
      }
    } catch (RuntimeException e) {
      LOG.warn("purging expired agent token uses failed; the next run retries: {}", e.getMessage());
    }
  }

  private static AgentIdentity identity(AgentRecord row) {
    return new AgentIdentity(row.id(), row.tenantId(), row.agentGroup());
  }

  private static Optional<String> keyThatSigned(AgentToken token, AgentRecord row, String method, String path,
      Instant now) {
    if (verifies(token, row.publicKey(), method, path)) {
      return Optional.of(row.publicKey());
    }
    if (previousKeyValid(row, now) && verifies(token, row.previousPublicKey(), method, path)) {
      return Optional.of(row.previousPublicKey());
    }
    return Optional.empty();
  }

  private static boolean holdsKey(AgentRecord row, String keyTag, Instant now) {
    return (row.publicKey() != null && AgentSessions.keyTag(row.publicKey()).equals(keyTag))
        || (previousKeyValid(row, now) && AgentSessions.keyTag(row.previousPublicKey()).equals(keyTag));
  }

  private static boolean previousKeyValid(AgentRecord row, Instant now) {
    return row.previousPublicKey() != null && row.previousKeyUntil() != null && row.previousKeyUntil().isAfter(now);
  }

  private static boolean verifies(AgentToken token, String encodedKey, String method, String path) {
    if (encodedKey == null) {
      return false;
    }
    Optional<PublicKey> key = AgentToken.decodePublicKey(encodedKey);
    return key.isPresent() && token.verify(key.get(), method, path);
  }

  /**
   * The tenant, id and scopes of a valid API key that is neither revoked nor expired; empty for
   * anything else. The store answers from a short-lived cache: a revocation made on this relay counts at
   * once, one made on another relay sharing the database within five seconds (docs/security.md).
   */
  public Optional<ApiCaller> callerOfApiKey(String presented) {
    return Credential.parse(Credential.API_KEY, presented)
        .flatMap(key -> store.findApiKey(key.id())
            .filter(row -> row.revokedAt() == null)
            .filter(row -> row.expiresAt() == null || row.expiresAt().isAfter(clock.instant()))
            .filter(row -> key.matches(row.keyHash()))
            .map(row -> new ApiCaller(row.tenantId(), row.id(), Scope.split(row.scopes()),
                KeyRestriction.fromColumns(row.functions(), row.odataServices()))));
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
