package io.ferry.relay.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.relay.RelayAdmin;
import io.ferry.relay.RelayAdmin.AgentInfo;
import io.ferry.relay.RelayAdmin.ApiKeyInfo;
import io.ferry.relay.RelayAdmin.Tenant;
import io.ferry.relay.RelayConfig;
import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.auth.Scope;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The admin API under {@code /admin/v1/}: an API key with scope {@code admin} administers its own
 * tenant — keys, agents, enrollment tokens — and nothing of any other tenant (another tenant's key or
 * agent is answered 404, as one that does not exist).
 */
final class AdminHandlers {

  static final String PREFIX = "/admin/v1";
  /** Enrollment tokens are valid this long unless the request says otherwise. */
  static final Duration DEFAULT_TOKEN_VALIDITY = Duration.ofHours(1);

  private final EngineAuth auth;
  private final RateLimits rateLimits;
  private final RelayAdmin admin;
  private final Bodies bodies;

  AdminHandlers(RelayConfig config, EngineAuth auth, RateLimits rateLimits, RelayAdmin admin) {
    this.auth = auth;
    this.rateLimits = rateLimits;
    this.admin = admin;
    this.bodies = new Bodies(config.maxBodyBytes(), config.limits().maxJsonDepth());
  }

  /** {@code GET /admin/v1/tenants}: the admin key's own tenant (a tenant admin sees no other). */
  void listTenants(Context ctx) {
    ApiCaller caller = admin(ctx);
    List<Tenant> tenants = admin.tenant(caller.tenantId()).stream().toList();
    Answer.json(200, new Tenants(tenants)).send(ctx);
  }

  /** {@code POST /admin/v1/keys} {@code {"scopes": [...], "expiresAt": "…"}}: 201 with the key, shown once. */
  void createKey(Context ctx) {
    ApiCaller caller = admin(ctx);
    JsonNode body = jsonObject(ctx);
    JsonNode scopesNode = body.get("scopes");
    if (scopesNode == null || !scopesNode.isArray() || scopesNode.isEmpty()) {
      throw invalid("scopes must be a non-empty array of " + Scope.allNames());
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (JsonNode s : scopesNode) {
      scopes.add(Scope.of(s.isTextual() ? s.asText() : null).orElseThrow(() -> invalid(
          "scopes has " + s + ", which is not one of " + Scope.allNames())));
    }
    Instant expiresAt = null;
    JsonNode expiry = body.get("expiresAt");
    if (expiry != null && !expiry.isNull()) {
      try {
        expiresAt = Instant.parse(expiry.asText());
      } catch (DateTimeParseException e) {
        throw invalid("expiresAt must be an RFC 3339 instant such as 2027-01-31T00:00:00Z, was " + expiry);
      }
    }
    Set<Scope> wanted = scopes;
    Instant until = expiresAt;
    RelayAdmin.ApiKey key = validated(() -> admin.createApiKey(caller.tenantId(), wanted, until));
    Answer.json(201, new NewKey(key.id(), key.key(), key.webhookSecret(), names(key.scopes()), key.expiresAt()))
        .header("Cache-Control", "no-store")
        .send(ctx);
  }

  /** {@code GET /admin/v1/keys}: the tenant's keys, without secrets. */
  void listKeys(Context ctx) {
    ApiCaller caller = admin(ctx);
    List<KeyView> keys = admin.apiKeys(caller.tenantId()).stream().map(AdminHandlers::view).toList();
    Answer.json(200, new Keys(keys)).send(ctx);
  }

  /** {@code DELETE /admin/v1/keys/{id}}: revoked at once; 404 for a key of no or another tenant. */
  void revokeKey(Context ctx) {
    ApiCaller caller = admin(ctx);
    String id = ctx.pathParam("id");
    if (!validated(() -> admin.revokeApiKey(caller.tenantId(), id))) {
      throw new ProblemException(ProblemType.NOT_FOUND, "this tenant has no API key " + id);
    }
    ctx.status(204);
  }

  /** {@code GET /admin/v1/agents}. */
  void listAgents(Context ctx) {
    ApiCaller caller = admin(ctx);
    Answer.json(200, new Agents(admin.agents(caller.tenantId()))).send(ctx);
  }

  /** {@code POST /admin/v1/agents/{id}/disable}: the agent is refused from its next request on. */
  void disableAgent(Context ctx) {
    ApiCaller caller = admin(ctx);
    String id = ctx.pathParam("id");
    if (!validated(() -> admin.disableAgent(caller.tenantId(), id))) {
      throw new ProblemException(ProblemType.NOT_FOUND, "this tenant has no agent " + id);
    }
    ctx.status(204);
  }

  /** {@code POST /admin/v1/enrollment-tokens} {@code {"group": "G", "validForSeconds": 3600}}: 201, shown once. */
  void createEnrollmentToken(Context ctx) {
    ApiCaller caller = admin(ctx);
    JsonNode body = jsonObject(ctx);
    JsonNode group = body.get("group");
    if (group == null || !group.isTextual()) {
      throw invalid("group must be the agent group's name, such as \"default\"");
    }
    Duration validFor = DEFAULT_TOKEN_VALIDITY;
    JsonNode seconds = body.get("validForSeconds");
    if (seconds != null && !seconds.isNull()) {
      if (!seconds.canConvertToLong()) {
        throw invalid("validForSeconds must be a whole number of seconds, was " + seconds);
      }
      validFor = Duration.ofSeconds(seconds.asLong());
    }
    Duration valid = validFor;
    Instant before = Instant.now();
    String token = validated(() -> admin.createEnrollmentToken(caller.tenantId(), group.asText(), valid));
    Answer.json(201, new NewToken(token, caller.tenantId(), group.asText(), before.plus(valid)))
        .header("Cache-Control", "no-store")
        .send(ctx);
  }

  /** Authenticates, takes a token of the key's rate limit, and requires scope {@code admin}. */
  private ApiCaller admin(Context ctx) {
    ApiCaller caller = auth.caller(ctx);
    rateLimits.apply(ctx, caller.apiKeyId());
    EngineAuth.requireScope(caller, Scope.ADMIN);
    return caller;
  }

  private JsonNode jsonObject(Context ctx) {
    if (!Bodies.contentTypeIs(ctx, Answer.JSON)) {
      throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send the body as " + Answer.JSON);
    }
    JsonNode body = bodies.json(ctx);
    if (!body.isObject()) {
      throw invalid("the body must be a JSON object");
    }
    return body;
  }

  /** The admin's own checks (group names, validity, ids) answer 422 with their message. */
  private static <T> T validated(Supplier<T> action) {
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(ProblemType.INVALID_FIELDS, detail);
  }

  private static KeyView view(ApiKeyInfo k) {
    return new KeyView(k.id(), names(k.scopes()), k.createdAt(), k.expiresAt(), k.revokedAt());
  }

  private static List<String> names(Set<Scope> scopes) {
    return scopes.stream().sorted().map(Scope::wireName).toList();
  }

  record Tenants(List<Tenant> tenants) {}

  record NewKey(String id, String key, String webhookSecret, List<String> scopes, Instant expiresAt) {}

  record KeyView(String id, List<String> scopes, Instant createdAt, Instant expiresAt, Instant revokedAt) {}

  record Keys(List<KeyView> keys) {}

  record Agents(List<AgentInfo> agents) {}

  record NewToken(String token, String tenantId, String group, Instant expiresAt) {}
}
