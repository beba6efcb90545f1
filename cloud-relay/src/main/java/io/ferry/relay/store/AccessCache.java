package io.ferry.relay.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ferry.relay.store.AccessStore.AgentRecord;
import io.ferry.relay.store.AccessStore.ApiKeyRecord;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * API keys and agents as last read, so that authenticating a request costs no database read: every
 * engine request reads its API key, every agent request its agent. Entries hold what the database holds
 * (the key's hash, never the key); a presented key is still hashed and compared on every request.
 *
 * <p>A change made through this store (a key revoked, an agent disabled or given a new key) drops the
 * entry when it commits, so this relay acts on it at once. A change made elsewhere (another relay
 * sharing PostgreSQL, {@code ferry admin} on the relay's SQLite file) is seen within {@link #FOR}: an
 * entry is never older than that. Absence is not remembered: a key or agent just created elsewhere works
 * at once.
 *
 * <p>Race: a read that started before a revocation cannot put its stale row back after the revocation's
 * drop, because the cache computes an entry and drops it under the same lock.
 */
final class AccessCache {

  /** How old an entry may be: the bound on how long another relay's revocation takes to count here. */
  static final Duration FOR = Duration.ofSeconds(5);
  /** Entries per kind; beyond it the least used are dropped (and read again when needed). */
  private static final int MAX_ENTRIES = 20_000;

  private final Cache<String, ApiKeyRecord> apiKeys = cache();
  private final Cache<String, AgentRecord> agents = cache();

  Optional<ApiKeyRecord> apiKey(String keyId, Function<String, Optional<ApiKeyRecord>> read) {
    return Optional.ofNullable(apiKeys.get(keyId, id -> read.apply(id).orElse(null)));
  }

  Optional<AgentRecord> agent(String agentId, Function<String, Optional<AgentRecord>> read) {
    return Optional.ofNullable(agents.get(agentId, id -> read.apply(id).orElse(null)));
  }

  /** After a change to the key committed: the next request reads it again. */
  void forgetApiKey(String keyId) {
    apiKeys.invalidate(keyId);
  }

  /** After a change to the agent committed: the next request reads it again. */
  void forgetAgent(String agentId) {
    agents.invalidate(agentId);
  }

  private static <V> Cache<String, V> cache() {
    return Caffeine.newBuilder().expireAfterWrite(FOR).maximumSize(MAX_ENTRIES).build();
  }
}
