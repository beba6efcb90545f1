package io.ferry.relay.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Action;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.Protocol;
import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.auth.KeyRestriction;
import io.ferry.relay.catalog.CatalogCache;
import io.ferry.relay.dispatch.JobRequest;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The engine API of function modules: {@code GET /v1/functions} (what the agent allows), {@code GET
 * /v1/functions/{name}} (its interface as JSON Schema) and {@code POST /v1/functions/{name}} (a call). The agent's
 * allowlist decides what may be called; the key's restriction narrows it; everything after the checks is the job
 * machinery ({@link EngineHandlers#submit}).
 */
final class FunctionHandlers {

  static final String PATH = "/v1/functions";
  static final String NAME = "name";
  /** The members of a call's body; anything else is a mistake worth naming, not something to drop. */
  private static final Set<String> CALL_MEMBERS = Set.of("importing", "changing", "tables", "commit");

  private final EngineHandlers engine;
  private final GenericReads reads;

  FunctionHandlers(EngineHandlers engine, CatalogCache catalogs) {
    this.engine = engine;
    this.reads = new GenericReads(engine, catalogs);
  }

  /** {@code GET /v1/functions}: the functions the agent allows, as far as the key is restricted to them. */
  void list(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    var within = caller.restriction().functions();
    reads.read(ctx, caller, Action.CATALOG_READ, null,
        new JobRequest.View(GenericAnswers.FUNCTIONS, within == null ? null : List.copyOf(within)),
        CatalogCache.Kind.CATALOG, "");
  }

  /** {@code GET /v1/functions/{name}}: the function's interface, read from SAP's repository by the agent. */
  void describe(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String name = allowedName(ctx, caller);
    ObjectNode payload = Protocol.json().createObjectNode().put("function", name);
    reads.read(ctx, caller, Action.FUNCTION_DESCRIBE, payload, null, CatalogCache.Kind.FUNCTION, name);
  }

  /**
   * {@code POST /v1/functions/{name}} {@code {"importing":{…},"changing":{…},"tables":{…},"commit":true}}: the
   * call, with an {@code Idempotency-Key} and a {@code callbackUrl} as every write takes them.
   */
  void call(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String name = allowedName(ctx, caller);
    if (!Bodies.contentTypeIs(ctx, Answer.JSON)) {
      throw EngineHandlers.unsupportedMediaType(ctx, Answer.JSON);
    }
    JsonNode body = engine.bodies.json(ctx);
    EngineHandlers.requireValid(checkCall(body));
    ObjectNode payload = Protocol.json().createObjectNode().put("function", name);
    body.fields().forEachRemaining(e -> payload.set(e.getKey(), e.getValue()));
    String callbackUrl = engine.callbackUrl(ctx, caller);
    engine.submit(ctx, caller, Action.FUNCTION_CALL, JobRequest.generic(payload, null).toJson(), body, callbackUrl,
        null);
  }

  /** Where a call's body breaks its shape; the parameters themselves are the agent's to check against SAP's. */
  static List<FieldError> checkCall(JsonNode body) {
    List<FieldError> errors = new ArrayList<>();
    if (body == null || !body.isObject()) {
      errors.add(new FieldError("", "the body must be a JSON object with importing, changing, tables and commit"));
      return errors;
    }
    body.fieldNames().forEachRemaining(member -> {
      if (!CALL_MEMBERS.contains(member)) {
        errors.add(new FieldError(member, "is not a member of a call; use importing, changing, tables or commit"));
      }
    });
    for (String member : List.of("importing", "changing", "tables")) {
      JsonNode v = body.get(member);
      if (v != null && !v.isNull() && !v.isObject()) {
        errors.add(new FieldError(member, "must be an object of parameters by name"));
      }
    }
    JsonNode commit = body.get("commit");
    if (commit != null && !commit.isNull() && !commit.isBoolean()) {
      errors.add(new FieldError("commit", "must be true or false"));
    }
    return errors;
  }

  /** The path's function name in SAP's spelling (upper case), if it is one and the key may reach it. */
  private static String allowedName(Context ctx, ApiCaller caller) {
    String raw = ctx.pathParam(NAME);
    String name = raw.strip().toUpperCase(Locale.ROOT);
    if (!KeyRestriction.FUNCTION.matcher(name).matches()) {
      throw new ProblemException(ProblemType.INVALID_FIELDS,
          "name must be a function module's name: 1 to 30 of A-Z, 0-9, '_' and '/', was '" + raw + "'")
          .errors(List.of(new FieldError(NAME, "must be 1 to 30 of A-Z, 0-9, '_' and '/'")));
    }
    if (!caller.restriction().allowsFunction(name)) {
      throw new ProblemException(ProblemType.OUTSIDE_KEY_RESTRICTION, "this API key is restricted to the functions "
          + String.join(", ", new java.util.TreeSet<>(caller.restriction().functions())) + ", not " + name
          + "; ask the tenant's administrator for a key that includes " + name
          + " (ferry admin keys create --functions " + name + ")");
    }
    return name;
  }
}
