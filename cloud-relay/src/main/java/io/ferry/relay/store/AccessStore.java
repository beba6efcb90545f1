package io.ferry.relay.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Tenants, API keys, enrollment tokens and agents. Secrets arrive here only as hashes. */
public interface AccessStore {

  /** The id of the tenant called {@code name}, inserting it with {@code newId} when there is none. */
  String ensureTenant(String name, String newId, Instant now);

  boolean tenantExists(String tenantId);

  Optional<TenantRecord> findTenant(String tenantId);

  /** Every tenant, oldest first: for the operator on the relay's host only. */
  List<TenantRecord> tenants();

  void insertApiKey(ApiKeyRecord key);

  /**
   * The key as stored, or as read at most five seconds ago (see AccessCache): a change made through this store
   * counts at once, one made by another relay sharing the database within that bound.
   */
  Optional<ApiKeyRecord> findApiKey(String keyId);

  /** Returns false when the key does not exist. Revoking twice keeps the first instant. */
  boolean revokeApiKey(String keyId, Instant now);

  /** The tenant's API keys, oldest first, revoked ones included. */
  List<ApiKeyRecord> apiKeys(String tenantId);

  void insertEnrollmentToken(EnrollmentTokenRecord token);

  Optional<EnrollmentTokenRecord> findEnrollmentToken(String tokenId);

  /**
   * Consumes the token and adds the agent, in one transaction. Returns false, adding nothing, when
   * the token was used meanwhile or has expired.
   */
  boolean enrollAgent(String tokenId, AgentRecord agent, Instant now);

  /**
   * The agent as stored, or as read at most five seconds ago (see AccessCache): a change made through this store
   * (disabled, a new key) counts at once, one made by another relay sharing the database within that bound;
   * its last-seen figures may be that old.
   */
  Optional<AgentRecord> findAgent(String agentId);

  /** The tenant's agents, oldest first, disabled ones included. */
  List<AgentRecord> agents(String tenantId);

  /** Returns false when the tenant has no such agent. Disabling twice keeps the first instant. */
  boolean disableAgent(String tenantId, String agentId, Instant now);

  /**
   * Makes {@code publicKey} the agent's key; its current public key (if any) stays valid until
   * {@code previousUntil}. The bearer key hash is cleared: an agent with a key pair has no bearer key.
   */
  void changeAgentKey(String agentId, String publicKey, Instant previousUntil);

  /** Null values leave the stored ones unchanged. */
  default void recordAgentSeen(String agentId, Instant seenAt, String version, String backend, Integer inFlight) {
    recordAgentsSeen(java.util.List.of(new AgentSeen(agentId, seenAt, version, backend, inFlight, true)));
  }

  /** Several sightings in one transaction, in order; null values leave the stored ones unchanged. */
  void recordAgentsSeen(java.util.List<AgentSeen> seen);

  /**
   * That an agent called: when, and what it said of itself (null: not said in that call).
   *
   * @param polled whether the call was a poll (the agent takes jobs): only a poll after the agent said it
   *     stops ({@link #recordAgentLeft}) makes it count as online again; its lease renewals and results while
   *     it finishes its jobs do not
   */
  record AgentSeen(String agentId, Instant seenAt, String version, String backend, Integer inFlight, boolean polled) {}

  /**
   * When an agent of the tenant (and group, unless null) was last seen, among the agents that did not say
   * they stop after their last poll.
   */
  Optional<Instant> lastAgentSeen(String tenantId, String agentGroup);

  /**
   * The agent said it stops (a graceful stop): it counts as offline from {@code at} until it polls again.
   * With several relays on one database, the others hear of it at once.
   */
  void recordAgentLeft(String tenantId, String agentId, Instant at);

  /**
   * Records the use of a signed agent token: true the first time its {@code nonce} is presented for the
   * agent, false for a replay, whichever relay instance (or an earlier run of this one) saw it first. The
   * record is kept until {@code expiresAt}, after which the token fails the freshness check anyway.
   */
  boolean firstTokenUse(String agentId, String nonce, Instant expiresAt);

  /** Forgets token uses that expired at or before {@code now}; returns how many. */
  int purgeTokenUses(Instant now);

  record TenantRecord(String id, String name, Instant createdAt) {}

  /**
   * @param webhookSecret the key's webhook signing secret, encrypted by the relay's key; null for old keys
   * @param scopes space-separated scopes ({@code customers:read customers:write admin})
   * @param expiresAt null when the key does not expire
   * @param functions space-separated function modules the key is restricted to; null: not restricted
   * @param odataServices space-separated OData services the key is restricted to; null: not restricted
   */
  record ApiKeyRecord(String id, String tenantId, String keyHash, Instant createdAt, Instant revokedAt,
      String webhookSecret, String scopes, Instant expiresAt, String functions, String odataServices) {

    /** A key restricted to nothing beyond its scopes. */
    public ApiKeyRecord(String id, String tenantId, String keyHash, Instant createdAt, Instant revokedAt,
        String webhookSecret, String scopes, Instant expiresAt) {
      this(id, tenantId, keyHash, createdAt, revokedAt, webhookSecret, scopes, expiresAt, null, null);
    }
  }

  record EnrollmentTokenRecord(String id, String tenantId, String agentGroup, String tokenHash,
      Instant createdAt, Instant expiresAt, Instant usedAt) {}

  record AgentRecord(String id, String tenantId, String agentGroup, String keyHash, String name,
      String hostname, String version, String backend, Instant enrolledAt, Instant lastSeen, int inFlight,
      Instant disabledAt, String publicKey, String previousPublicKey, Instant previousKeyUntil) {}
}
