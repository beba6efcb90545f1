package io.ferry.relay;

import io.ferry.relay.auth.Admin;
import io.ferry.relay.auth.SecretBox;
import io.ferry.relay.store.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * What an operator does to a running relay: tenants, API keys for engines, enrollment tokens for
 * agents. Keys and tokens are returned once and stored only as SHA-256 hashes; lose one and make a
 * new one.
 */
public interface RelayAdmin {

  /**
   * Creates a tenant, or returns the id of the tenant of that name: creating is idempotent on the
   * name, so a provisioning script can run twice.
   */
  String createTenant(String name);

  /**
   * A new API key ({@code fk_…}) for engines of the tenant, with its webhook signing secret
   * ({@code whsec_…}, which signs the callbacks of jobs asked for with this key). Both are shown this
   * once: the relay keeps only the key's hash and the secret sealed with its own key.
   */
  ApiKey createApiKey(String tenantId);

  /**
   * Revokes an API key at once. Takes the key itself or its id (the part between {@code fk_} and the
   * second {@code _}). Returns false when no such key exists.
   */
  boolean revokeApiKey(String apiKeyOrId);

  /**
   * A one-time enrollment token ({@code fe_…}) with which one agent joins the tenant's
   * {@code agentGroup}. It stops working after {@code validFor} or after its first use.
   */
  String createEnrollmentToken(String tenantId, String agentGroup, Duration validFor);

  /**
   * Administration straight on a relay's data directory, for {@code ferry relay bootstrap}: opens
   * (and migrates) the store without starting a server. Safe while a relay runs on the same
   * directory, as the store serialises writers.
   */
  static Offline open(Path dataDir) {
    SqliteStore store = SqliteStore.open(dataDir);
    Admin admin;
    try {
      admin = new Admin(store, Clock.systemUTC(), SecretBox.open(dataDir));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return new Offline() {
      @Override
      public String createTenant(String name) {
        return admin.createTenant(name);
      }

      @Override
      public ApiKey createApiKey(String tenantId) {
        return admin.createApiKey(tenantId);
      }

      @Override
      public boolean revokeApiKey(String apiKeyOrId) {
        return admin.revokeApiKey(apiKeyOrId);
      }

      @Override
      public String createEnrollmentToken(String tenantId, String agentGroup, Duration validFor) {
        return admin.createEnrollmentToken(tenantId, agentGroup, validFor);
      }

      @Override
      public void close() {
        store.close();
      }
    };
  }

  /**
   * A new API key as handed to the operator.
   *
   * @param id the key's id (not secret; what logs and {@link #revokeApiKey} use)
   * @param key the API key engines send as {@code X-API-Key}
   * @param webhookSecret the Standard Webhooks secret that verifies callbacks for this key's jobs
   */
  record ApiKey(String id, String key, String webhookSecret) {

    /** Never print the secrets, even by accident in a log line. */
    @Override
    public String toString() {
      return "ApiKey[id=" + id + "]";
    }
  }

  /** A {@link RelayAdmin} that holds the store open until closed. */
  interface Offline extends RelayAdmin, AutoCloseable {
    @Override
    void close();
  }
}
