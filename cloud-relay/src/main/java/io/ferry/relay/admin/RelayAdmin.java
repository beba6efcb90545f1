package io.ferry.relay.admin;

import io.ferry.relay.admin.StoreAdmin;
import io.ferry.relay.auth.Scope;
import io.ferry.relay.auth.SecretBox;
import io.ferry.relay.store.RelayStore;
import io.ferry.relay.store.StoreSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an operator does to a running relay: tenants, API keys for engines and administrators,
 * enrollment tokens for agents, the agents themselves. Keys and tokens are returned once and stored
 * only as SHA-256 hashes; lose one and make a new one.
 *
 * <p>Everything but {@link #createTenant} and the one-argument {@link #revokeApiKey(String)} is
 * scoped to one tenant: what the admin HTTP API calls with the tenant of the caller's admin key.
 */
public interface RelayAdmin {

  /**
   * Creates a tenant, or returns the id of the tenant of that name: creating is idempotent on the
   * name, so a provisioning script can run twice.
   */
  String createTenant(String name);

  /** The tenant of that id, if it exists. */
  Optional<Tenant> tenant(String tenantId);

  /** An engine key: every engine scope ({@link Scope#ENGINE}), no expiry. */
  default ApiKey createApiKey(String tenantId) {
    return createApiKey(tenantId, Scope.ENGINE, null);
  }

  /**
   * A new API key ({@code fk_…}) of the tenant with {@code scopes} (at least one), valid until
   * {@code expiresAt} (null: until revoked), with its webhook signing secret ({@code whsec_…}, which
   * signs the callbacks of jobs asked for with this key). Both are shown this once: the relay keeps
   * only the key's hash and the secret sealed with its own key.
   */
  default ApiKey createApiKey(String tenantId, Set<Scope> scopes, Instant expiresAt) {
    return createApiKey(tenantId, scopes, expiresAt, io.ferry.relay.auth.KeyRestriction.NONE);
  }

  /**
   * As {@link #createApiKey(String, Set, Instant)}, restricted to the functions and OData services of
   * {@code restriction} (a list left null: not restricted).
   */
  ApiKey createApiKey(String tenantId, Set<Scope> scopes, Instant expiresAt,
      io.ferry.relay.auth.KeyRestriction restriction);

  /** The tenant's keys, revoked and expired ones included; never a secret or hash. */
  List<ApiKeyInfo> apiKeys(String tenantId);

  /**
   * Revokes an API key at once. Takes the key itself or its id (the part between {@code fk_} and the
   * second {@code _}). Returns false when no such key exists.
   */
  boolean revokeApiKey(String apiKeyOrId);

  /** As {@link #revokeApiKey(String)}, for a key of {@code tenantId} only; false for another tenant's key. */
  boolean revokeApiKey(String tenantId, String apiKeyOrId);

  /**
   * A one-time enrollment token ({@code fe_…}) with which one agent joins the tenant's
   * {@code agentGroup}. It stops working after {@code validFor} or after its first use.
   */
  String createEnrollmentToken(String tenantId, String agentGroup, Duration validFor);

  /** The tenant's agents, disabled ones included. */
  List<AgentInfo> agents(String tenantId);

  /**
   * Disables an agent of the tenant: its next request is refused (401) and it gets no more jobs.
   * Returns false when the tenant has no such agent. To bring the host back, enroll it again.
   */
  boolean disableAgent(String tenantId, String agentId);

  /**
   * Administration straight on a relay's data directory, for {@code ferry relay bootstrap}: opens
   * (and migrates) the store without starting a server. Safe while a relay runs on the same
   * directory, as the store serialises writers.
   */
  static Offline open(Path dataDir) {
    return open(dataDir, StoreSettings.SQLITE);
  }

  /** As {@link #open(Path)}, on the store {@code store} names (PostgreSQL: the database the relays share). */
  static Offline open(Path dataDir, StoreSettings storeSettings) {
    RelayStore store = RelayStore.open(storeSettings, dataDir);
    StoreAdmin admin;
    try {
      SecretBox secretBox = SecretBox.open(dataDir);
      if (store.shared()) {
        // The webhook secrets made here are sealed with this relay.key: it must be the relays' own.
        SharedKeys.check(store, secretBox, io.ferry.relay.auth.JobSigningKey.open(dataDir), dataDir, Clock.systemUTC());
      }
      admin = new StoreAdmin(store.access(), Clock.systemUTC(), secretBox);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return new OfflineAdmin(admin, store, new io.ferry.relay.audit.AuditLog(store.audit(), Clock.systemUTC()));
  }

  /**
   * A new API key as handed to the operator.
   *
   * @param id the key's id (not secret; what logs and {@link #revokeApiKey} use)
   * @param key the API key engines send as {@code X-API-Key}
   * @param webhookSecret the Standard Webhooks secret that verifies callbacks for this key's jobs
   * @param scopes what the key may do
   * @param expiresAt when it stops working; null when it works until revoked
   */
  record ApiKey(String id, String key, String webhookSecret, Set<Scope> scopes, Instant expiresAt,
      io.ferry.relay.auth.KeyRestriction restriction) {

    /** Never print the secrets, even by accident in a log line. */
    @Override
    public String toString() {
      return "ApiKey[id=" + id + ", scopes=" + Scope.join(scopes) + "]";
    }
  }

  record Tenant(String id, String name, Instant createdAt) {}

  /** A key as listed: what it may do and its dates, never its secret. */
  record ApiKeyInfo(String id, Set<Scope> scopes, Instant createdAt, Instant expiresAt, Instant revokedAt,
      io.ferry.relay.auth.KeyRestriction restriction) {}

  /**
   * An agent as listed. {@code disabledAt} is null for an agent that may work; {@code inFlight} is the
   * count of jobs it last said it was running (as stored; the relay's memory may be fresher).
   */
  record AgentInfo(String id, String group, String name, String hostname, String version, String backend,
      Instant enrolledAt, Instant lastSeen, Instant disabledAt, int inFlight) {}

  /** Every tenant, oldest first. Only for the operator on the relay's host ({@code ferry relay tenants list}). */
  List<Tenant> tenants();

  /** A {@link RelayAdmin} that holds the store open until closed. */
  interface Offline extends RelayAdmin, AutoCloseable {
    @Override
    void close();
  }
}
