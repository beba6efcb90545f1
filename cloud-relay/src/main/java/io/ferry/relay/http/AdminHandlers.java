package io.ferry.relay.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.relay.admin.RelayAdmin;
import io.ferry.relay.admin.RelayAdmin.ApiKeyInfo;
import io.ferry.relay.admin.RelayAdmin.Tenant;
import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.audit.AuditLog;
import io.ferry.relay.store.AuditEvent;
import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.auth.KeyRestriction;
import io.ferry.relay.auth.Scope;
import java.util.Locale;
import io.javalin.http.Context;
import io.ferry.relay.dispatch.AgentPresence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
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
  /** As {@link io.ferry.relay.admin.StoreAdmin} allows; checked here too, so the answer names the field. */
  static final Duration MAX_TOKEN_VALIDITY = Duration.ofDays(30);
  /** The range of RFC 3339 instants (four-digit years); instants outside it are refused, not stored. */
  static final Instant EARLIEST_INSTANT = Instant.parse("0000-01-01T00:00:00Z");
  static final Instant LATEST_INSTANT = Instant.parse("9999-12-31T23:59:59Z");
  private static final String EXPIRES_AT = "expiresAt";

  private final RelayAdmin admin;
  private final Bodies bodies;
  private final AuditLog audit;
  private final RelayConfig config;
  private final AgentPresence presence;
  private final Clock clock;

  private static final int LEASED_PAGE = 500;
  private final io.ferry.relay.store.JobAdminStore jobs;

  AdminHandlers(RelayConfig config, Clock clock, RelayAdmin admin,
      AgentPresence presence, AuditLog audit, io.ferry.relay.store.JobAdminStore jobs) {
    this.jobs = jobs;
    this.audit = audit;
    this.config = config;
    this.clock = clock;
    this.presence = presence;
    this.admin = admin;
    this.bodies = new Bodies(config.maxBodyBytes(), config.limits().maxJsonDepth(), config.limits().bodyTimeout());
  }

  /** {@code GET /admin/v1/tenants}: the admin key's own tenant (a tenant admin sees no other). */
  void listTenants(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    List<Tenant> tenants = admin.tenant(caller.tenantId()).stream().toList();
    Answer.json(200, new Tenants(tenants)).send(ctx);
  }

  /** {@code POST /admin/v1/keys} {@code {"scopes": [...], "expiresAt": "…"}}: 201 with the key, shown once. */
  void createKey(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
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
        expiresAt = expiry.isTextual() ? Instant.parse(expiry.asText()) : null;
      } catch (DateTimeParseException e) {
        expiresAt = null;
      }
      // Instant takes years up to a billion, which no store column holds (it failed as a 500 before): the
      // range is RFC 3339's, four-digit years.
      if (expiresAt == null || !expiresAt.isAfter(clock.instant()) || expiresAt.isAfter(LATEST_INSTANT)) {
        throw invalidField(EXPIRES_AT, "must be an RFC 3339 instant such as 2027-01-31T00:00:00Z, after now and "
            + "at most " + LATEST_INSTANT + " (or left out: the key works until revoked), was " + expiry);
      }
    }
    Set<Scope> wanted = scopes;
    Instant until = expiresAt;
    KeyRestriction restriction = new KeyRestriction(
        names(body, FUNCTIONS, n -> n.strip().toUpperCase(Locale.ROOT), KeyRestriction::invalidFunction),
        names(body, ODATA_SERVICES, String::strip, KeyRestriction::invalidService));
    RelayAdmin.ApiKey key = validated(() -> admin.createApiKey(caller.tenantId(), wanted, until, restriction));
    audit.record(caller.tenantId(), caller.apiKeyId(), "admin.key.create", key.id(), "SUCCEEDED",
        "scopes " + Scope.join(key.scopes()) + (until == null ? "" : ", expires " + until)
            + io.ferry.relay.admin.StoreAdmin.describe(key.restriction()));
    Answer.json(201, new NewKey(key.id(), key.key(), key.webhookSecret(), names(key.scopes()), key.expiresAt(),
        sorted(key.restriction().functions()), sorted(key.restriction().odataServices())))
        .header("Cache-Control", "no-store")
        .send(ctx);
  }

  static final String FUNCTIONS = "functions";
  static final String ODATA_SERVICES = "odataServices";

  /**
   * The optional list {@code member} of a key's request (a restriction): absent or null, no restriction; else a
   * non-empty array of names, each normalised and checked. A key for no function at all is a key without
   * {@code functions:call}, so an empty list is refused rather than guessed at.
   */
  private static Set<String> names(JsonNode body, String member, java.util.function.UnaryOperator<String> normal,
      java.util.function.Function<java.util.Collection<String>, java.util.Optional<String>> invalid) {
    JsonNode list = body.get(member);
    if (list == null || list.isNull()) {
      return null;
    }
    if (!list.isArray() || list.isEmpty()) {
      throw invalidField(member, "must be a non-empty array of names, or left out (no restriction); to allow none, "
          + "leave out the scope instead");
    }
    java.util.List<String> raw = new java.util.ArrayList<>();
    for (JsonNode n : list) {
      if (!n.isTextual()) {
        throw invalidField(member, "must hold names (strings), has " + n);
      }
      raw.add(n.asText());
    }
    invalid.apply(raw).ifPresent(message -> {
      throw invalidField(member, message);
    });
    return raw.stream().map(normal).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
  }

  private static List<String> sorted(Set<String> names) {
    return names == null ? null : names.stream().sorted().toList();
  }

  /** {@code GET /admin/v1/keys}: the tenant's keys, without secrets. */
  void listKeys(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    List<KeyView> keys = admin.apiKeys(caller.tenantId()).stream().map(AdminHandlers::view).toList();
    Answer.json(200, new Keys(keys)).send(ctx);
  }

  /** {@code DELETE /admin/v1/keys/{id}}: revoked at once; 404 for a key of no or another tenant. */
  void revokeKey(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String id = ctx.pathParam("id");
    boolean revoked = validated(() -> admin.revokeApiKey(caller.tenantId(), id));
    audit.record(caller.tenantId(), caller.apiKeyId(), "admin.key.revoke", AuditLog.keyId(id), revoked ? "SUCCEEDED" : "NOT_FOUND",
        null);
    if (!revoked) {
      throw new ProblemException(ProblemType.NOT_FOUND, "this tenant has no API key " + id);
    }
    ctx.status(204);
  }

  /**
   * {@code GET /admin/v1/agents}: each agent with whether it is online (seen within
   * relay.agent-offline-after and not disabled) and the jobs it holds now. What this relay process
   * heard itself is fresher than the store, which is written at most every few seconds per agent.
   * {@code inFlight} counts the jobs leased to the agent in the store, not the count the agent last
   * reported: that one was only as fresh as the agent's last poll (up to relay.poll-hold old), so a
   * finished job stayed "in flight" for half a minute.
   */
  /** Jobs in state LEASED per agent id, read page by page (the page size bounds each query, not the count). */
  private java.util.Map<String, Integer> leasedPerAgent(String tenantId) {
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    String before = null;
    while (true) {
      List<io.ferry.relay.store.JobAdminStore.JobEntry> page = jobs.jobs(tenantId, io.ferry.relay.store.JobState.LEASED,
          null, before, LEASED_PAGE);
      for (io.ferry.relay.store.JobAdminStore.JobEntry e : page) {
        if (e.job().leasedBy() != null) {
          counts.merge(e.job().leasedBy(), 1, Integer::sum);
        }
      }
      if (page.size() < LEASED_PAGE) {
        return counts;
      }
      before = page.get(page.size() - 1).job().id();
    }
  }

  void listAgents(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    Instant onlineSince = clock.instant().minus(config.agentOfflineAfter());
    java.util.Map<String, Integer> leased = leasedPerAgent(caller.tenantId());
    List<AgentView> agents = admin.agents(caller.tenantId()).stream().map(a -> {
      Optional<AgentPresence.Sighting> seen = presence.sighting(caller.tenantId(), a.id());
      // To the millisecond, as the store keeps every other instant of the answer.
      Instant lastSeen = seen.map(AgentPresence.Sighting::lastSeen).map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
          .orElse(a.lastSeen());
      boolean online = a.disabledAt() == null && seen.map(AgentPresence.Sighting::online)
          .orElse(lastSeen != null && lastSeen.isAfter(onlineSince));
      return new AgentView(a.id(), a.group(), a.name(), a.hostname(), a.version(), a.backend(), a.enrolledAt(),
          lastSeen, a.disabledAt(), online, leased.getOrDefault(a.id(), 0));
    }).toList();
    Answer.json(200, new Agents(agents)).send(ctx);
  }

  /** {@code POST /admin/v1/agents/{id}/disable}: the agent is refused from its next request on. */
  void disableAgent(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String id = ctx.pathParam("id");
    boolean disabled = validated(() -> admin.disableAgent(caller.tenantId(), id));
    audit.record(caller.tenantId(), caller.apiKeyId(), "admin.agent.disable", id,
        disabled ? "SUCCEEDED" : "NOT_FOUND", null);
    if (!disabled) {
      throw new ProblemException(ProblemType.NOT_FOUND, "this tenant has no agent " + id);
    }
    ctx.status(204);
  }

  /** {@code POST /admin/v1/enrollment-tokens} {@code {"group": "G", "validForSeconds": 3600}}: 201, shown once. */
  void createEnrollmentToken(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    JsonNode body = jsonObject(ctx);
    JsonNode group = body.get("group");
    if (group == null || !group.isTextual()) {
      throw invalid("group must be the agent group's name, such as \"default\"");
    }
    Duration validFor = DEFAULT_TOKEN_VALIDITY;
    JsonNode seconds = body.get("validForSeconds");
    if (seconds != null && !seconds.isNull()) {
      if (!seconds.isIntegralNumber() || !seconds.canConvertToLong() || seconds.asLong() < 1
          || seconds.asLong() > MAX_TOKEN_VALIDITY.toSeconds()) {
        throw invalidField("validForSeconds", "must be a whole number of seconds from 1 to "
            + MAX_TOKEN_VALIDITY.toSeconds() + " (30 days), was " + seconds);
      }
      validFor = Duration.ofSeconds(seconds.asLong());
    }
    Duration valid = validFor;
    Instant before = Instant.now();
    String token = validated(() -> admin.createEnrollmentToken(caller.tenantId(), group.asText(), valid));
    audit.record(caller.tenantId(), caller.apiKeyId(), "admin.enrollment-token.create", group.asText(), "SUCCEEDED",
        "valid for " + valid);
    Answer.json(201, new NewToken(token, caller.tenantId(), group.asText(), before.plus(valid)))
        .header("Cache-Control", "no-store")
        .send(ctx);
  }

  /**
   * {@code GET /admin/v1/audit?since=…&action=…&limit=…&cursor=…}: the tenant's audit events, oldest
   * first; {@code nextLink} (absolute) while more follow.
   */
  void audit(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    Instant since = null;
    String sinceParam = ctx.queryParam("since");
    if (sinceParam != null && !sinceParam.isBlank()) {
      try {
        since = Instant.parse(sinceParam);
      } catch (DateTimeParseException e) {
        since = null;
      }
      if (since == null || since.isBefore(EARLIEST_INSTANT) || since.isAfter(LATEST_INSTANT)) {
        throw parameter("since", "since must be an RFC 3339 instant such as 2027-01-31T00:00:00Z, from "
            + EARLIEST_INSTANT + " to " + LATEST_INSTANT + ", was " + sinceParam);
      }
    }
    String action = ctx.queryParam("action");
    if (action != null && (action.isBlank() || !action.matches("[a-z.\\-]{1,64}"))) {
      throw parameter("action", "action must be an action name such as job.ended, was " + action);
    }
    int limit = DEFAULT_AUDIT_PAGE;
    String limitParam = ctx.queryParam("limit");
    if (limitParam != null) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_AUDIT_PAGE) {
        throw parameter("limit", "limit must be a whole number from 1 to " + MAX_AUDIT_PAGE + ", was " + limitParam);
      }
    }
    String cursor = ctx.queryParam("cursor");
    if (cursor != null && !cursor.matches("[0-9A-Z]{26}")) {
      throw parameter("cursor", "cursor must be copied from nextLink, was " + cursor);
    }
    List<AuditEvent> page = audit.events(caller.tenantId(), since, action, cursor, limit + 1);
    boolean more = page.size() > limit;
    List<AuditEvent> events = more ? page.subList(0, limit) : page;
    String next = null;
    if (more) {
      StringBuilder q = new StringBuilder("?limit=").append(limit);
      if (sinceParam != null && !sinceParam.isBlank()) {
        q.append("&since=").append(java.net.URLEncoder.encode(sinceParam, java.nio.charset.StandardCharsets.UTF_8));
      }
      if (action != null) {
        q.append("&action=").append(action);
      }
      q.append("&cursor=").append(events.get(events.size() - 1).id());
      next = BaseUrl.of(config.publicUrl(), ctx) + PREFIX + "/audit" + q;
    }
    Answer.json(200, new AuditPage(events.stream().map(AdminHandlers::view).toList(), next)).send(ctx);
  }

  static final int DEFAULT_AUDIT_PAGE = 100;
  static final int MAX_AUDIT_PAGE = 1000;

  private static AuditView view(AuditEvent e) {
    return new AuditView(e.id(), e.at(), e.actor(), e.action(), e.subject(), e.outcome(), e.detail());
  }

  private static ProblemException parameter(String name, String detail) {
    return new ProblemException(ProblemType.INVALID_PARAMETER, detail)
        .errors(List.of(new io.ferry.protocol.Problem.FieldError(name, detail)));
  }

  record AuditView(String id, Instant at, String actor, String action, String subject, String outcome,
      String detail) {}

  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record AuditPage(List<AuditView> events, String nextLink) {}

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

  private static ProblemException invalidField(String field, String message) {
    return new ProblemException(ProblemType.INVALID_FIELDS, field + " " + message)
        .errors(List.of(new io.ferry.protocol.Problem.FieldError(field, message)));
  }

  private static KeyView view(ApiKeyInfo k) {
    return new KeyView(k.id(), names(k.scopes()), k.createdAt(), k.expiresAt(), k.revokedAt(),
        sorted(k.restriction().functions()), sorted(k.restriction().odataServices()));
  }

  private static List<String> names(Set<Scope> scopes) {
    return scopes.stream().sorted().map(Scope::wireName).toList();
  }

  record Tenants(List<Tenant> tenants) {}

  /** {@code functions} and {@code odataServices} are left out for a key they do not restrict. */
  record NewKey(String id, String key, String webhookSecret, List<String> scopes, Instant expiresAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> functions,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> odataServices) {}

  record KeyView(String id, List<String> scopes, Instant createdAt, Instant expiresAt, Instant revokedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> functions,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> odataServices) {}

  record Keys(List<KeyView> keys) {}

  /** An agent as the admin API lists it; SAP's health is not part of an agent's heartbeat (yet). */
  record AgentView(String id, String group, String name, String hostname, String version, String backend,
      Instant enrolledAt, Instant lastSeen, Instant disabledAt, boolean online, int inFlight) {}

  record Agents(List<AgentView> agents) {}

  record NewToken(String token, String tenantId, String group, Instant expiresAt) {}
}
