package io.ferry.relay.admin;


import io.ferry.relay.auth.Credential;
import io.ferry.relay.auth.Scope;
import io.ferry.relay.auth.SecretBox;
import io.ferry.relay.auth.WebhookSecrets;
import io.ferry.relay.store.AccessStore;
import io.ferry.relay.store.AccessStore.ApiKeyRecord;
import io.ferry.relay.store.AccessStore.EnrollmentTokenRecord;
import io.ferry.relay.store.Ulid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator's operations. Logs what was made, never the secret itself. */
public final class StoreAdmin implements RelayAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(StoreAdmin.class);
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Duration MAX_TOKEN_VALIDITY = Duration.ofDays(30);
  /** The last instant RFC 3339 writes (four-digit years): well inside the store's epoch milliseconds. */
  private static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

  private final AccessStore store;
  private final Clock clock;
  private final SecretBox secrets;
  private final java.util.function.BiConsumer<String, String> groupIssued;
  private final java.util.function.BiConsumer<String, String> agentDisabled;

  public StoreAdmin(AccessStore store, Clock clock, SecretBox secrets) {
    this(store, clock, secrets, (tenant, group) -> { }, (tenant, agent) -> { });
  }

  /**
   * @param groupIssued told (tenant id, agent group) after an enrollment token for the group was issued: SQS
   *     dispatch makes the group's queues then, before its first agent looks for them
   * @param agentDisabled told (tenant id, agent id) after an agent was disabled: the relay answers a poll it holds
   *     for the agent now, rather than hand it a job while it waits (on a stream, for minutes)
   */
  public StoreAdmin(AccessStore store, Clock clock, SecretBox secrets,
      java.util.function.BiConsumer<String, String> groupIssued,
      java.util.function.BiConsumer<String, String> agentDisabled) {
    this.store = store;
    this.clock = clock;
    this.secrets = secrets;
    this.groupIssued = groupIssued;
    this.agentDisabled = agentDisabled;
  }

  @Override
  public String createTenant(String name) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("a tenant name must have 1 to 200 characters, was "
          + (name == null ? "null" : "'" + name + "'"));
    }
    String id = store.ensureTenant(name.strip(), Ulid.next(), clock.instant());
    LOG.info("tenant '{}' has id {}", name.strip(), id);
    return id;
  }

  @Override
  public Optional<Tenant> tenant(String tenantId) {
    return tenantId == null ? Optional.empty()
        : store.findTenant(tenantId).map(t -> new Tenant(t.id(), t.name(), t.createdAt()));
  }

  @Override
  public List<Tenant> tenants() {
    return store.tenants().stream().map(t -> new Tenant(t.id(), t.name(), t.createdAt())).toList();
  }

  @Override
  public ApiKey createApiKey(String tenantId, Set<Scope> scopes, Instant expiresAt,
      io.ferry.relay.auth.KeyRestriction restriction) {
    io.ferry.relay.auth.KeyRestriction within = restriction == null ? io.ferry.relay.auth.KeyRestriction.NONE
        : restriction;
    requireTenant(tenantId);
    if (scopes == null || scopes.isEmpty()) {
      throw new IllegalArgumentException("an API key needs at least one scope of " + Scope.allNames());
    }
    Instant now = clock.instant();
    if (expiresAt != null && (!expiresAt.isAfter(now) || expiresAt.isAfter(LATEST_EXPIRY))) {
      throw new IllegalArgumentException("an API key's expiry must lie in the future and at most at " + LATEST_EXPIRY
          + ", was " + expiresAt);
    }
    Credential key = Credential.generate(Credential.API_KEY, Ulid.next());
    String webhookSecret = WebhookSecrets.generate();
    store.insertApiKey(new ApiKeyRecord(key.id(), tenantId, key.hash(), now, null,
        secrets.seal(webhookSecret, key.id()), Scope.join(scopes), expiresAt,
        io.ferry.relay.auth.KeyRestriction.column(within.functions()),
        io.ferry.relay.auth.KeyRestriction.column(within.odataServices())));
    LOG.info("API key {} created for tenant {} with scopes '{}'{}{}, with its webhook secret", key.id(), tenantId,
        Scope.join(scopes), expiresAt == null ? "" : ", expiring " + expiresAt, describe(within));
    return new ApiKey(key.id(), key.value(), webhookSecret, Set.copyOf(scopes), expiresAt, within);
  }

  @Override
  public List<ApiKeyInfo> apiKeys(String tenantId) {
    return store.apiKeys(tenantId).stream()
        .map(k -> new ApiKeyInfo(k.id(), Scope.split(k.scopes()), k.createdAt(), k.expiresAt(), k.revokedAt(),
            io.ferry.relay.auth.KeyRestriction.fromColumns(k.functions(), k.odataServices())))
        .toList();
  }

  @Override
  public boolean revokeApiKey(String apiKeyOrId) {
    String id = keyId(apiKeyOrId);
    boolean revoked = store.revokeApiKey(id, clock.instant());
    if (revoked) {
      LOG.info("API key {} revoked", id);
    }
    return revoked;
  }

  @Override
  public boolean revokeApiKey(String tenantId, String apiKeyOrId) {
    String id = keyId(apiKeyOrId);
    // Another tenant's key is "no such key": an admin learns nothing about other tenants.
    if (store.findApiKey(id).filter(k -> k.tenantId().equals(tenantId)).isEmpty()) {
      return false;
    }
    return revokeApiKey(id);
  }

  /** For logs and the audit log: {@code , functions RFC_READ_TABLE, OData services API_BUSINESS_PARTNER}; names only. */
  public static String describe(io.ferry.relay.auth.KeyRestriction r) {
    return (r.functions() == null ? "" : ", functions " + io.ferry.relay.auth.KeyRestriction.column(r.functions()))
        + (r.odataServices() == null ? ""
            : ", OData services " + io.ferry.relay.auth.KeyRestriction.column(r.odataServices()));
  }

  private static String keyId(String apiKeyOrId) {
    return Credential.parse(Credential.API_KEY, apiKeyOrId).map(Credential::id)
        .or(() -> Optional.ofNullable(apiKeyOrId).filter(Ulid::looksLike))
        .orElseThrow(() -> new IllegalArgumentException(
            "expected an API key (fk_…) or its 26-character id"));
  }

  @Override
  public List<AgentInfo> agents(String tenantId) {
    return store.agents(tenantId).stream()
        .map(a -> new AgentInfo(a.id(), a.agentGroup(), a.name(), a.hostname(), a.version(), a.backend(),
            a.enrolledAt(), a.lastSeen(), a.disabledAt(), a.inFlight()))
        .toList();
  }

  @Override
  public boolean disableAgent(String tenantId, String agentId) {
    if (agentId == null || !Ulid.looksLike(agentId)) {
      throw new IllegalArgumentException("expected an agent id (26 characters), was "
          + (agentId == null ? "null" : "'" + agentId + "'"));
    }
    Instant now = clock.instant();
    boolean disabled = store.disableAgent(tenantId, agentId, now);
    if (disabled) {
      LOG.info("agent {} of tenant {} disabled", agentId, tenantId);
      // Offline at once on every relay sharing the store, as after a goodbye; those relays (and this one) answer
      // a poll they hold for it, and its next poll is refused.
      store.recordAgentLeft(tenantId, agentId, now);
      agentDisabled.accept(tenantId, agentId);
    }
    return disabled;
  }

  @Override
  public String createEnrollmentToken(String tenantId, String agentGroup, Duration validFor) {
    requireTenant(tenantId);
    if (agentGroup == null || !GROUP.matcher(agentGroup).matches()) {
      throw new IllegalArgumentException("an agent group has 1 to 64 letters, digits, '.', '_' or '-', "
          + "starting with a letter or digit, was " + (agentGroup == null ? "null" : "'" + agentGroup + "'"));
    }
    if (validFor == null || validFor.isNegative() || validFor.isZero() || validFor.compareTo(MAX_TOKEN_VALIDITY) > 0) {
      throw new IllegalArgumentException("an enrollment token is valid for more than 0s and at most 30 days, was "
          + validFor);
    }
    Instant now = clock.instant();
    Credential token = Credential.generate(Credential.ENROLLMENT_TOKEN, Ulid.next());
    store.insertEnrollmentToken(new EnrollmentTokenRecord(token.id(), tenantId, agentGroup, token.hash(), now,
        now.plus(validFor), null));
    LOG.info("enrollment token {} created for tenant {} group {}, valid until {}", token.id(), tenantId,
        agentGroup, now.plus(validFor));
    groupIssued.accept(tenantId, agentGroup);
    return token.value();
  }

  private void requireTenant(String tenantId) {
    if (tenantId == null || !store.tenantExists(tenantId)) {
      throw new IllegalArgumentException("no tenant has the id " + tenantId + "; create it first with createTenant");
    }
  }
}
