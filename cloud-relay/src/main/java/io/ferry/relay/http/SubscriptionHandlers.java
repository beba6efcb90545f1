package io.ferry.relay.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.relay.audit.AuditLog;
import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.auth.WebhookSecrets;
import io.ferry.relay.callback.CallbackUrls;
import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.store.SubscriptionStore;
import io.ferry.relay.store.SubscriptionStore.Subscription;
import io.ferry.relay.store.Ulid;
import io.ferry.relay.subscriptions.EventTypes;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Webhook subscriptions to the tenant's change feed ({@code /v1/subscriptions}), the pattern of Power Automate's
 * and n8n's webhook triggers: the flow subscribes when it is turned on and deletes its subscription when it is
 * removed. Delivery is {@link io.ferry.relay.subscriptions.SubscriptionDelivery}'s. The URL follows the callback
 * rules exactly ({@link CallbackUrls}); a subscription is signed with the webhook secret of the key that made it.
 */
final class SubscriptionHandlers {

  static final String PATH = "/v1/subscriptions";
  static final String ADMIN_PATH = AdminHandlers.PREFIX + "/subscriptions";
  static final String EVENTS = "events";
  static final String URL = "url";

  private final SubscriptionStore store;
  private final WebhookSecrets secrets;
  private final AuditLog audit;
  private final Clock clock;
  private final Bodies bodies;
  private final RelayConfig config;

  SubscriptionHandlers(SubscriptionStore store, WebhookSecrets secrets, AuditLog audit, Clock clock, Bodies bodies,
      RelayConfig config) {
    this.store = store;
    this.secrets = secrets;
    this.audit = audit;
    this.clock = clock;
    this.bodies = bodies;
    this.config = config;
  }

  /** {@code POST /v1/subscriptions}: 201 with the subscription, positioned at the feed's end now. */
  void create(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    JsonNode body = bodies.json(ctx);
    if (!body.isObject()) {
      throw invalid("body", "must be a JSON object with events and url");
    }
    Set<String> events = events(body.get(EVENTS));
    String url = url(body.get(URL));
    if (!secrets.hasSecret(caller.apiKeyId())) {
      throw invalid(URL, "cannot be used with this API key: it was made before webhooks existed and has no webhook "
          + "secret; ask the operator for a new API key");
    }
    Subscription s = store.create(Ulid.next(), caller.tenantId(), caller.apiKeyId(), events, url, clock.instant());
    // Never the URL: its query may hold the receiver's token.
    audit.record(caller.tenantId(), caller.apiKeyId(), "subscription.created", s.id(), "SUCCEEDED",
        "events " + String.join(",", s.events()) + ", host " + URI.create(url).getHost());
    Answer.json(201, view(s))
        .header("Location", BaseUrl.of(config.publicUrl(), ctx) + PATH + "/" + s.id())
        .header("Cache-Control", "no-store")
        .send(ctx);
  }

  /** {@code GET /v1/subscriptions}: the tenant's subscriptions, oldest first. */
  void list(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    Answer.json(200, new Subscriptions(store.list(caller.tenantId()).stream().map(SubscriptionHandlers::view)
        .toList())).header("Cache-Control", "no-store").send(ctx);
  }

  /** {@code GET /v1/subscriptions/{id}}: one, with its delivery state; 404 for another tenant's. */
  void get(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    Subscription s = store.find(caller.tenantId(), ctx.pathParam("id")).orElseThrow(() -> notFound(ctx));
    Answer.json(200, view(s)).header("Cache-Control", "no-store").send(ctx);
  }

  /** {@code DELETE /v1/subscriptions/{id}}: 204, deliveries stop; a second DELETE is 404. */
  void delete(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String id = ctx.pathParam("id");
    if (!store.delete(caller.tenantId(), id)) {
      throw notFound(ctx);
    }
    audit.record(caller.tenantId(), caller.apiKeyId(), "subscription.deleted", id, "SUCCEEDED", null);
    ctx.status(204);
  }

  /** {@code GET /admin/v1/subscriptions}: the admin's tenant's subscriptions with their delivery state. */
  void adminList(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    // Named like the other admin lists ({"keys": …}, {"agents": …}); engines get OData's "value".
    Answer.json(200, new AdminSubscriptions(store.list(caller.tenantId()).stream().map(SubscriptionHandlers::view)
        .toList())).header("Cache-Control", "no-store").send(ctx);
  }

  private static Set<String> events(JsonNode node) {
    String allowed = "must be a non-empty array of " + String.join(", ", EventTypes.ALL);
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw invalid(EVENTS, allowed);
    }
    Set<String> events = new LinkedHashSet<>();
    for (JsonNode e : node) {
      if (!e.isTextual() || !EventTypes.ALL.contains(e.asText())) {
        throw invalid(EVENTS, allowed + "; " + e + " is not one");
      }
      events.add(e.asText());
    }
    return events;
  }

  private String url(JsonNode node) {
    String url = node != null && node.isTextual() ? node.asText() : null;
    var problem = CallbackUrls.problem(url, config.callbackPrivateNetworks(), config.callbackLoopback());
    if (problem.isPresent()) {
      throw invalid(URL, problem.get().message());
    }
    return url;
  }

  private static ProblemException invalid(String field, String message) {
    return new ProblemException(ProblemType.INVALID_FIELDS, field + " " + message)
        .errors(List.of(new FieldError(field, message)));
  }

  private static ProblemException notFound(Context ctx) {
    return new ProblemException(ProblemType.NOT_FOUND,
        "this API key's tenant has no subscription " + ctx.pathParam("id"));
  }

  static SubscriptionView view(Subscription s) {
    return new SubscriptionView(s.id(), s.events(), s.url(), s.createdAt(), s.status(), s.disabledReason(),
        s.delivered(), s.failedAttempts(), s.lastDeliveredAt(), s.lastError(), s.failingSince(), s.nextAttemptAt());
  }

  /**
   * A subscription as engines and admins see it.
   *
   * @param delivered events the receiver took (2xx)
   * @param failed failed POSTs, in all (the name the OpenAPI description gives it)
   * @param nextAttemptAt when a failing event is tried again
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record SubscriptionView(String id, List<String> events, String url, Instant createdAt, String status,
      String disabledReason, long delivered, long failed, Instant lastDeliveredAt, String lastError,
      Instant failingSince, Instant nextAttemptAt) {}

  record Subscriptions(List<SubscriptionView> value) {}

  record AdminSubscriptions(List<SubscriptionView> subscriptions) {}
}
