package io.ferry.relay.admin;

import io.ferry.relay.audit.AuditLog;
import io.ferry.relay.auth.Scope;
import io.ferry.relay.store.RelayStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link RelayAdmin#open}: an {@link StoreAdmin} on a store it closes. */
final class OfflineAdmin implements RelayAdmin.Offline {

  private final StoreAdmin admin;
  private final RelayStore store;
  private final AuditLog audit;

  OfflineAdmin(StoreAdmin admin, RelayStore store, AuditLog audit) {
    this.admin = admin;
    this.store = store;
    this.audit = audit;
  }

  @Override
  public String createTenant(String name) {
    String id = admin.createTenant(name);
    audit.record(id, AuditLog.OPERATOR, "admin.tenant.create", id, "SUCCEEDED", "name " + name.strip());
    return id;
  }

  @Override
  public List<Tenant> tenants() {
    return admin.tenants();
  }

  @Override
  public Optional<Tenant> tenant(String tenantId) {
    return admin.tenant(tenantId);
  }

  @Override
  public ApiKey createApiKey(String tenantId, Set<Scope> scopes, Instant expiresAt,
      io.ferry.relay.auth.KeyRestriction restriction) {
    ApiKey key = admin.createApiKey(tenantId, scopes, expiresAt, restriction);
    audit.record(tenantId, AuditLog.OPERATOR, "admin.key.create", key.id(), "SUCCEEDED",
        "scopes " + Scope.join(key.scopes()) + (expiresAt == null ? "" : ", expires " + expiresAt)
            + StoreAdmin.describe(key.restriction()));
    return key;
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
    boolean revoked = admin.revokeApiKey(tenantId, apiKeyOrId);
    // The argument may be the key itself: only its id goes into the log.
    audit.record(tenantId, AuditLog.OPERATOR, "admin.key.revoke", AuditLog.keyId(apiKeyOrId),
        revoked ? "SUCCEEDED" : "NOT_FOUND", null);
    return revoked;
  }

  @Override
  public String createEnrollmentToken(String tenantId, String agentGroup, Duration validFor) {
    String token = admin.createEnrollmentToken(tenantId, agentGroup, validFor);
    audit.record(tenantId, AuditLog.OPERATOR, "admin.enrollment-token.create", agentGroup, "SUCCEEDED",
        "valid for " + validFor);
    return token;
  }

  @Override
  public List<AgentInfo> agents(String tenantId) {
    return admin.agents(tenantId);
  }

  @Override
  public boolean disableAgent(String tenantId, String agentId) {
    boolean disabled = admin.disableAgent(tenantId, agentId);
    audit.record(tenantId, AuditLog.OPERATOR, "admin.agent.disable", agentId, disabled ? "SUCCEEDED" : "NOT_FOUND",
        null);
    return disabled;
  }

  @Override
  public void close() {
    store.close();
  }
}
