package io.ferry.relay;

import io.ferry.relay.auth.Admin;
import io.ferry.relay.auth.Scope;
import io.ferry.relay.store.SqliteStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link RelayAdmin#open}: an {@link Admin} on a store it closes. */
final class OfflineAdmin implements RelayAdmin.Offline {

  private final Admin admin;
  private final SqliteStore store;

  OfflineAdmin(Admin admin, SqliteStore store) {
    this.admin = admin;
    this.store = store;
  }

  @Override
  public String createTenant(String name) {
    return admin.createTenant(name);
  }

  @Override
  public Optional<Tenant> tenant(String tenantId) {
    return admin.tenant(tenantId);
  }

  @Override
  public ApiKey createApiKey(String tenantId, Set<Scope> scopes, Instant expiresAt) {
    return admin.createApiKey(tenantId, scopes, expiresAt);
  }

  @Override
  public List<ApiKeyInfo> apiKeys(String tenantId) {
    return admin.apiKeys(tenantId);
  }

  @Override
  public boolean revokeApiKey(String apiKeyOrId) {
    return admin.revokeApiKey(apiKeyOrId);
  }

  @Override
  public boolean revokeApiKey(String tenantId, String apiKeyOrId) {
    return admin.revokeApiKey(tenantId, apiKeyOrId);
  }

  @Override
  public String createEnrollmentToken(String tenantId, String agentGroup, Duration validFor) {
    return admin.createEnrollmentToken(tenantId, agentGroup, validFor);
  }

  @Override
  public List<AgentInfo> agents(String tenantId) {
    return admin.agents(tenantId);
  }

  @Override
  public boolean disableAgent(String tenantId, String agentId) {
    return admin.disableAgent(tenantId, agentId);
  }

  @Override
  public void close() {
    store.close();
  }
}
