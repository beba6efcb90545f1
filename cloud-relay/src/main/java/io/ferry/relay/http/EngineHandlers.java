package io.ferry.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerRules;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SearchRules;
import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.auth.WebhookSecrets;
import io.ferry.relay.callback.CallbackUrls;
import io.ferry.relay.dispatch.AgentPresence;
import io.ferry.relay.dispatch.Dispatcher;
import io.ferry.relay.dispatch.JobRequest;
import io.ferry.relay.idempotency.Fingerprint;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobStore.IdempotencyEntry;
import io.ferry.relay.store.StoreException;
import io.ferry.relay.store.Ulid;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The engine API: customers and operations, authenticated with a tenant's API key. */
final class EngineHandlers {

  /** Routes a job to one agent group of the tenant. */
  static final String AGENT_GROUP_HEADER = "X-Ferry-Agent-Group";
  private static final java.util.regex.Pattern AGENT_GROUP =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private static final ObjectMapper JSON = Protocol.json();
  private static final String MERGE_PATCH = "application/merge-patch+json";
  private static final String RESPOND_ASYNC = "respond-async";
  static final String CALLBACK_URL = "callbackUrl";

  /** The body of {@code GET /v1/connection}. */
  record ConnectionStatus(String tenantId, String apiKeyId, boolean agentOnline) {}

  private final RelayConfig config;
  private final Clock clock;
  private final WebhookSecrets webhookSecrets;
  private final Dispatcher dispatcher;
  private final AgentPresence presence;
  final Bodies bodies;
  private final JobAnswers answers;

  EngineHandlers(RelayConfig config, Clock clock, WebhookSecrets webhookSecrets, Dispatcher dispatcher,
      AgentPresence presence) {
    this.config = config;
    this.clock = clock;
    this.webhookSecrets = webhookSecrets;
    this.dispatcher = dispatcher;
    this.presence = presence;
    this.bodies = new Bodies(config.maxBodyBytes(), config.limits().maxJsonDepth(), config.limits().bodyTimeout());
    this.answers = new JobAnswers(clock);
  }

  /** {@code POST /v1/customers}. */
  void createCustomer(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    if (!Bodies.contentTypeIs(ctx, Answer.JSON)) {
      throw unsupportedMediaType(ctx, Answer.JSON);
    }
    JsonNode body = bodies.json(ctx);
    requireValid(CustomerRules.checkCreate(body));
    Customer customer;
    try {
      customer = JSON.treeToValue(body, Customer.class);
    } catch (JsonProcessingException e) {
      throw new ProblemException(ProblemType.INVALID_FIELDS, "the body does not fit the customer model: "
          + e.getOriginalMessage());
    }
    String callbackUrl = callbackUrl(ctx, caller);
    submit(ctx, caller, Action.CUSTOMER_CREATE, JobRequest.create(customer).toJson(), body, callbackUrl, null);
  }

  /**
   * {@code PUT /v1/customers/by-external-id/{externalId}}: the customer as a create takes it; SAP's customer
   * with that external id is changed to it, or it is created. The path's external id is the one that counts:
   * the body may leave {@code externalId} out or repeat it exactly.
   */
  void upsertCustomer(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String externalId = ctx.pathParam("externalId");
    requireValid(CustomerRules.checkExternalId(externalId));
    if (!Bodies.contentTypeIs(ctx, Answer.JSON)) {
      throw unsupportedMediaType(ctx, Answer.JSON);
    }
    JsonNode body = bodies.json(ctx);
    List<FieldError> errors = new ArrayList<>();
    if (body != null && body.isObject()) {
      JsonNode sent = body.get("externalId");
      if (sent == null) {
        ((ObjectNode) body).put("externalId", externalId);
      } else if (!sent.isTextual() || !sent.asText().equals(externalId)) {
        errors.add(new FieldError("externalId", "must be left out or equal the externalId in the path ('" + externalId
            + "'), was " + sent));
        ((ObjectNode) body).put("externalId", externalId);
      }
    }
    errors.addAll(CustomerRules.checkCreate(body));
    errors.sort(Comparator.comparing(FieldError::field));
    requireValid(errors);
    Customer customer;
    try {
      customer = JSON.treeToValue(body, Customer.class);
    } catch (JsonProcessingException e) {
      throw new ProblemException(ProblemType.INVALID_FIELDS, "the body does not fit the customer model: "
          + e.getOriginalMessage());
    }
    String callbackUrl = callbackUrl(ctx, caller);
    submit(ctx, caller, Action.CUSTOMER_UPSERT, JobRequest.upsert(customer).toJson(), body, callbackUrl, null);
  }

  /**
   * {@code GET /v1/customers?search=…&top=…&cursor=…}: one page of customers, in ascending customer number,
   * with the absolute {@code nextLink} of the next page (see {@link SearchRules} for the parameters).
   */
  void listCustomers(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String search = ctx.queryParam("search");
    String top = ctx.queryParam("top");
    String cursor = ctx.queryParam("cursor");
    requireValid(SearchRules.check(search, top, cursor));
    submit(ctx, caller, Action.CUSTOMER_SEARCH, JobRequest.search(SearchRules.query(search, top, cursor)).toJson(),
        null, null,
        null);
  }

  /** {@code GET /v1/customers/{customerNumber}}. */
  void readCustomer(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    submit(ctx, caller, Action.CUSTOMER_READ, JobRequest.read(customerNumber(ctx)).toJson(), null, null, null);
  }

  /** {@code PATCH /v1/customers/{customerNumber}} with a JSON merge patch, optionally conditional. */
  void updateCustomer(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String number = customerNumber(ctx);
    if (!Bodies.contentTypeIs(ctx, MERGE_PATCH, Answer.JSON)) {
      throw unsupportedMediaType(ctx, MERGE_PATCH + " (or " + Answer.JSON + ")")
          .header("Accept-Patch", MERGE_PATCH);
    }
    JsonNode patch = bodies.json(ctx);
    String ifMatch = Preconditions.take(ctx, patch);
    requireValid(CustomerRules.checkPatch(patch));
    String callbackUrl = callbackUrl(ctx, caller);
    submit(ctx, caller, Action.CUSTOMER_UPDATE, JobRequest.update(number, (ObjectNode) patch, ifMatch).toJson(),
        patch,
        callbackUrl, ifMatch);
  }

  /** {@code GET /v1/operations/{id}}: 202 while the job runs, then its final answer. */
  void getOperation(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String tenant = caller.tenantId();
    String id = ctx.pathParam("id");
    Job job = (Ulid.looksLike(id) ? dispatcher.find(tenant, id) : Optional.<Job>empty())
        .orElseThrow(() -> new ProblemException(ProblemType.OPERATION_NOT_FOUND,
            "no operation " + id + " exists for this API key's tenant"));
    // The route lets any engine key in; the operation's object decides: a customers-only key follows no order.
    EngineAuth.requireScope(caller, io.ferry.relay.objects.BusinessObject.of(job.action()).followScopes());
    answers.answer(job, BaseUrl.of(config.publicUrl(), ctx), ctx.path()).send(ctx);
  }

  /** {@code GET /v1/connection}: whether the key is good (Power Automate's test connection), and the agent's presence. */
  void testConnection(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    Answer.json(200, new ConnectionStatus(caller.tenantId(), caller.apiKeyId(), presence.isOnline(caller.tenantId(), null)))
        .send(ctx);
  }

  /**
   * The optional {@code X-Ferry-Agent-Group} header: only agents of that group of the tenant may take the
   * job (absent: any agent of the tenant). 400 when it is not a group name.
   */
  static String agentGroup(Context ctx) {
    String group = ctx.header(AGENT_GROUP_HEADER);
    if (group == null || group.isBlank()) {
      return null;
    }
    if (!AGENT_GROUP.matcher(group.strip()).matches()) {
      throw new ProblemException(ProblemType.INVALID_PARAMETER, AGENT_GROUP_HEADER
          + " must be an agent group: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
          .errors(List.of(new FieldError(AGENT_GROUP_HEADER, "not an agent group name")));
    }
    return group.strip();
  }

  /**
   * Queues the job (durably, before any answer), then waits up to the sync window for its end; a
   * job still running then is answered 202. {@code Prefer: respond-async} answers 202 at once. With an
   * {@code Idempotency-Key} (writes only) a request seen before gets the earlier request's outcome.
   */
  void submit(Context ctx, ApiCaller caller, Action action, String requestJson, JsonNode body,
      String callbackUrl, String ifMatch) {
    submit(ctx, caller, action, requestJson, body, callbackUrl, ifMatch, null);
  }

  /**
   * As {@link #submit(Context, ApiCaller, Action, String, JsonNode, String, String)}; {@code ended} (if not null)
   * hears of the job when it ended within the sync window (a generic read keeps its answer; see CatalogCache).
   */
  void submit(Context ctx, ApiCaller caller, Action action, String requestJson, JsonNode body,
      String callbackUrl, String ifMatch, java.util.function.Consumer<Job> ended) {
    String tenant = caller.tenantId();
    String key = action.isRead() ? null : IdempotencyKeys.of(ctx);
    String fingerprint = key == null ? null
        : Fingerprint.of(ctx.method().name(), ctx.path(), body, ifMatch, callbackUrl);
    String baseUrl = BaseUrl.of(config.publicUrl(), ctx);
    String instance = ctx.path();
    if (key != null) {
      Optional<IdempotencyEntry> earlier = dispatcher.idempotencyKey(tenant, key);
      if (earlier.isPresent()) {
        replay(ctx, tenant, earlier.get(), fingerprint, baseUrl, instance);
        return;
      }
    }
    String group = agentGroup(ctx);
    if (!presence.isOnline(tenant, group)) {
      throw new ProblemException(ProblemType.NO_AGENT_ONLINE,
          "no agent of this tenant" + (group == null ? "" : " in agent group " + group) + " has been seen in the last " + config.agentOfflineAfter().toSeconds()
              + " s, so nothing was queued; start or check the on-premises agent, then try again")
          .header(Problems.RETRY_AFTER, "30");
    }
    boolean respondAsync = prefersAsync(ctx);
    Instant now = clock.instant();
    Job job = Job.queued(Ulid.next(), tenant, group, action, requestJson,
        Traceparent.of(ctx), now, now.plus(config.jobDeadline()))
        .withOrigin(caller.apiKeyId(), callbackUrl);
    Duration wait = respondAsync ? Duration.ZERO : config.syncWindow();
    IdempotencyEntry entry = key == null ? null
        : new IdempotencyEntry(tenant, key, fingerprint, job.id(), now, now.plus(config.idempotencyRetention()));
    Dispatcher.Submission submission = dispatcher.submit(job, wait, entry);
    if (submission.earlier() != null) {
      // An identical request won the race for this key a moment ago.
      replay(ctx, tenant, submission.earlier(), fingerprint, baseUrl, instance);
      return;
    }
    if (respondAsync) {
      ctx.header("Preference-Applied", RESPOND_ASYNC);
    }
    Async.answer(ctx, submission.outcome().thenApply(j -> {
      if (ended != null && j.state().isFinal()) {
        ended.accept(j);
      }
      return answers.answer(j, baseUrl, instance);
    }));
  }

  /** The absolute base URL of this relay as the request reached it (see {@link BaseUrl}). */
  String baseUrl(Context ctx) {
    return BaseUrl.of(config.publicUrl(), ctx);
  }

  /**
   * The answer to a request whose Idempotency-Key was used before: the same request gets the job's
   * outcome (as {@code GET /v1/operations/{id}} renders it), or 409 while that job still runs; another
   * request under the same key is refused with 422.
   */
  private void replay(Context ctx, String tenant, IdempotencyEntry earlier, String fingerprint, String baseUrl,
      String instance) {
    if (!earlier.fingerprint().equals(fingerprint)) {
      throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
          "the Idempotency-Key was first used " + earlier.createdAt() + " for a request with another method, path, "
              + "body or preconditions; use a new key for a new request")
          .errors(List.of(new FieldError(IdempotencyKeys.HEADER, "was used for a different request")));
    }
    Job job = dispatcher.find(tenant, earlier.jobId()).orElseThrow(() -> new StoreException(
        "the job " + earlier.jobId() + " of an idempotency key is missing", null));
    if (!job.state().isFinal()) {
      throw new ProblemException(ProblemType.IDEMPOTENT_REQUEST_IN_PROGRESS,
          "the first request with this Idempotency-Key is still being processed as operation " + job.id()
              + "; send it again after Retry-After, or follow " + baseUrl + JobAnswers.OPERATIONS + job.id())
          .header(Problems.RETRY_AFTER, "1");
    }
    answers.answer(job, baseUrl, instance).header(IdempotencyKeys.REPLAYED, "true").send(ctx);
  }

  /**
   * The optional {@code callbackUrl} query parameter: a query parameter rather than a body field, so the
   * body stays the customer (or the merge patch) and every engine can add it without touching the body.
   */
  String callbackUrl(Context ctx, ApiCaller caller) {
    String url = ctx.queryParam(CALLBACK_URL);
    if (url == null) {
      return null;
    }
    Optional<CallbackUrls.Problem> problem = CallbackUrls.problem(url, config.callbackPrivateNetworks(),
        config.callbackLoopback());
    if (problem.isPresent()) {
      // A well-formed URL to an address callbacks may not reach is 422 (understood, refused); a malformed one 400.
      ProblemType type = problem.get().unreachable() ? ProblemType.INVALID_FIELDS : ProblemType.INVALID_PARAMETER;
      throw new ProblemException(type, "callbackUrl " + problem.get().message())
          .errors(List.of(new FieldError(CALLBACK_URL, problem.get().message())));
    }
    if (!webhookSecrets.hasSecret(caller.apiKeyId())) {
      String why = "cannot be used with this API key: it was made before callbacks existed and has no webhook "
          + "secret; ask the operator for a new API key";
      throw new ProblemException(ProblemType.INVALID_PARAMETER, "callbackUrl " + why)
          .errors(List.of(new FieldError(CALLBACK_URL, why)));
    }
    return url;
  }

  private static String customerNumber(Context ctx) {
    String number = ctx.pathParam("customerNumber");
    if (!CustomerRules.isCustomerNumber(number)) {
      throw new ProblemException(ProblemType.INVALID_CUSTOMER_NUMBER,
          "customerNumber must be 1 to 10 letters or digits, was '" + number + "'")
          .errors(List.of(new FieldError("customerNumber", "must be 1 to 10 letters or digits")));
    }
    return number;
  }

  static void requireValid(List<FieldError> errors) {
    if (errors.isEmpty()) {
      return;
    }
    String detail = errors.stream()
        .map(e -> e.field().isEmpty() ? e.message() : e.field() + " " + e.message())
        .collect(Collectors.joining("; "));
    throw new ProblemException(ProblemType.INVALID_FIELDS, detail).errors(errors);
  }

  private static boolean prefersAsync(Context ctx) {
    var headers = ctx.req().getHeaders("Prefer");
    for (String prefer : headers == null ? List.<String>of() : Collections.list(headers)) {
      for (String token : prefer.split(",")) {
        if (token.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals(RESPOND_ASYNC)) {
          return true;
        }
      }
    }
    return false;
  }

  static ProblemException unsupportedMediaType(Context ctx, String expected) {
    return new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type " + ctx.header("Content-Type") + " is not accepted here; send " + expected);
  }
}
