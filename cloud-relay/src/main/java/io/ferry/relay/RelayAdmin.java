package io.ferry.relay;

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

  /** A new API key ({@code fk_…}) for engines of the tenant. Shown this once. */
  String createApiKey(String tenantId);

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
}
