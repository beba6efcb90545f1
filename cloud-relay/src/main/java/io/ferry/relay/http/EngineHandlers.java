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
import io.ferry.relay.RelayConfig;
import io.ferry.relay.dispatch.AgentPresence;
import io.ferry.relay.dispatch.Dispatcher;
import io.ferry.relay.dispatch.JobRequest;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.Ulid;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.stream.Collectors;

/** The engine API: customers and operations, authenticated with a tenant's API key. */
final class EngineHandlers {

  private static final ObjectMapper JSON = Protocol.json();
  private static final String MERGE_PATCH = "application/merge-patch+json";
  private static final String RESPOND_ASYNC = "respond-async";

  private final RelayConfig config;
  private final Clock clock;
  private final EngineAuth auth;
  private final Dispatcher dispatcher;
  private final AgentPresence presence;
  private final Bodies bodies;
  private final JobAnswers answers;

  EngineHandlers(RelayConfig config, Clock clock, EngineAuth auth, Dispatcher dispatcher, AgentPresence presence) {
    this.config = config;
    this.clock = clock;
    this.auth = auth;
    this.dispatcher = dispatcher;
    this.presence = presence;
    this.bodies = new Bodies(config.maxBodyBytes());
    this.answers = new JobAnswers(clock);
  }

  /** {@code POST /v1/customers}. */
  void createCustomer(Context ctx) {
    String tenant = auth.tenant(ctx);
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
    submit(ctx, tenant, Action.CUSTOMER_CREATE, JobRequest.create(customer));
  }

  /** {@code GET /v1/customers/{customerNumber}}. */
  void readCustomer(Context ctx) {
    String tenant = auth.tenant(ctx);
    submit(ctx, tenant, Action.CUSTOMER_READ, JobRequest.read(customerNumber(ctx)));
  }

  /** {@code PATCH /v1/customers/{customerNumber}} with a JSON merge patch. */
  void updateCustomer(Context ctx) {
    String tenant = auth.tenant(ctx);
    String number = customerNumber(ctx);
    if (!Bodies.contentTypeIs(ctx, MERGE_PATCH, Answer.JSON)) {
      throw unsupportedMediaType(ctx, MERGE_PATCH + " (or " + Answer.JSON + ")")
          .header("Accept-Patch", MERGE_PATCH);
    }
    JsonNode patch = bodies.json(ctx);
    requireValid(CustomerRules.checkPatch(patch));
    submit(ctx, tenant, Action.CUSTOMER_UPDATE, JobRequest.update(number, (ObjectNode) patch, null));
  }

  /** {@code GET /v1/operations/{id}}: 202 while the job runs, then its final answer. */
  void getOperation(Context ctx) {
    String tenant = auth.tenant(ctx);
    String id = ctx.pathParam("id");
    Job job = (Ulid.looksLike(id) ? dispatcher.find(tenant, id) : Optional.<Job>empty())
        .orElseThrow(() -> new ProblemException(ProblemType.OPERATION_NOT_FOUND,
            "no operation " + id + " exists for this API key's tenant"));
    answers.answer(job, BaseUrl.of(config.publicUrl(), ctx), ctx.path()).send(ctx);
  }

  /**
   * Queues the job (durably, before any answer), then waits up to the sync window for its end; a
   * job still running then is answered 202. {@code Prefer: respond-async} answers 202 at once.
   */
  private void submit(Context ctx, String tenant, Action action, JobRequest request) {
    if (!presence.isOnline(tenant, null)) {
      throw new ProblemException(ProblemType.NO_AGENT_ONLINE,
          "no agent of this tenant has been seen in the last " + config.agentOfflineAfter().toSeconds()
              + " s, so nothing was queued; start or check the on-premises agent, then try again")
          .header(Problems.RETRY_AFTER, "30");
    }
    boolean respondAsync = prefersAsync(ctx);
    Instant now = clock.instant();
    Job job = Job.queued(Ulid.next(), tenant, null, action, request.toJson(),
        Traceparent.fromHeader(ctx.header(Traceparent.HEADER)), now, now.plus(config.jobDeadline()));
    Duration wait = respondAsync ? Duration.ZERO : config.syncWindow();
    String baseUrl = BaseUrl.of(config.publicUrl(), ctx);
    String instance = ctx.path();
    if (respondAsync) {
      ctx.header("Preference-Applied", RESPOND_ASYNC);
    }
    Async.answer(ctx, dispatcher.submit(job, wait).thenApply(j -> answers.answer(j, baseUrl, instance)));
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

  private static void requireValid(List<FieldError> errors) {
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

  private static ProblemException unsupportedMediaType(Context ctx, String expected) {
    return new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type " + ctx.header("Content-Type") + " is not accepted here; send " + expected);
  }
}
