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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The engine API of OData resources the agent allows: {@code GET /v1/odata} (the list, for pickers), a service's
 * {@code $metadata}, an entity set's JSON Schema, and reads and writes of a resource path below a service. The relay
 * forwards the service's name (the agent's name for it) and the path; it never learns SAP's host. Everything after the
 * checks is the job machinery ({@link EngineHandlers#submit}).
 */
final class ODataHandlers {

  static final String PATH = "/v1/odata";
  static final String SERVICE = "service";
  static final String RESOURCE = "path";
  static final String ENTITY_SET = "entitySet";
  /** The system query options passed to Gateway as the engine wrote them; anything else is refused by name. */
  static final Set<String> QUERY_OPTIONS =
      Set.of("$filter", "$select", "$expand", "$top", "$skip", "$orderby", "$inlinecount", "$skiptoken");
  /** Longer resource paths are no entity's: Gateway's own URL limit is about this. */
  static final int MAX_PATH = 2048;

  private final EngineHandlers engine;
  private final GenericReads reads;

  ODataHandlers(EngineHandlers engine, CatalogCache catalogs) {
    this.engine = engine;
    this.reads = new GenericReads(engine, catalogs);
  }

  /** {@code GET /v1/odata}: the services and entity sets the agent allows, as far as the key is restricted. */
  void list(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    var within = caller.restriction().odataServices();
    reads.read(ctx, caller, Action.CATALOG_READ, null,
        new JobRequest.View(GenericAnswers.ODATA, within == null ? null : List.copyOf(within)),
        CatalogCache.Kind.CATALOG, "");
  }

  /** {@code GET /v1/odata/{service}/$metadata}: the EDMX, as {@code application/xml}. */
  void metadata(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String service = service(ctx, caller);
    reads.read(ctx, caller, Action.ODATA_READ, request(service, "GET", "$metadata", null, null, null, false), null,
        CatalogCache.Kind.METADATA, service);
  }

  /** {@code GET /v1/odata/{service}/{entitySet}/schema}: the entity set's JSON Schema, from the service's metadata. */
  void schema(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String service = service(ctx, caller);
    String entitySet = ctx.pathParam(ENTITY_SET);
    if (!KeyRestriction.SERVICE.matcher(entitySet).matches()) {
      throw invalid(ENTITY_SET, "must be an entity set's name: 1 to 64 letters, digits, '_', '.' or '-'");
    }
    reads.read(ctx, caller, Action.ODATA_READ, request(service, "GET", entitySet, null, null, null, true), null,
        CatalogCache.Kind.SCHEMA, service + "/" + entitySet);
  }

  /** {@code GET /v1/odata/{service}/{path…}} with the system query options. */
  void read(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String service = service(ctx, caller);
    String path = resourcePath(ctx);
    String query = query(ctx, true);
    engine.submit(ctx, caller, Action.ODATA_READ,
        JobRequest.generic(request(service, "GET", path, query, null, null, false), null).toJson(), null, null, null);
  }

  /**
   * {@code POST|PUT|PATCH|DELETE /v1/odata/{service}/{path…}}: a write, with {@code If-Match} passed to Gateway, an
   * {@code Idempotency-Key} and a {@code callbackUrl} as every write takes them.
   */
  void write(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String service = service(ctx, caller);
    String path = resourcePath(ctx);
    query(ctx, false);
    String method = ctx.method().name();
    JsonNode body = null;
    if (!method.equals("DELETE")) {
      if (!Bodies.contentTypeIs(ctx, Answer.JSON)) {
        throw EngineHandlers.unsupportedMediaType(ctx, Answer.JSON);
      }
      body = engine.bodies.json(ctx);
      if (body == null || !body.isObject()) {
        throw invalid("body", "must be a JSON object: the entity (a deep insert as its hierarchy)");
      }
    }
    String ifMatch = SingleHeaders.value(ctx, "If-Match");
    String callbackUrl = engine.callbackUrl(ctx, caller);
    engine.submit(ctx, caller, Action.ODATA_WRITE,
        JobRequest.generic(request(service, method, path, null, body, ifMatch, false), null).toJson(), body,
        callbackUrl, ifMatch);
  }

  private static ObjectNode request(String service, String method, String path, String query, JsonNode body,
      String ifMatch, boolean schema) {
    ObjectNode r = Protocol.json().createObjectNode().put("service", service).put("method", method).put("path", path);
    if (query != null && !query.isEmpty()) {
      r.put("query", query);
    }
    if (body != null) {
      r.set("body", body);
    }
    if (ifMatch != null && !ifMatch.isBlank()) {
      r.put("ifMatch", ifMatch.strip());
    }
    if (schema) {
      r.put("schema", true);
    }
    return r;
  }

  /** The path's service, if it is a service's name and the key may reach it. */
  private static String service(Context ctx, ApiCaller caller) {
    String service = ctx.pathParam(SERVICE);
    if (!KeyRestriction.SERVICE.matcher(service).matches()) {
      throw invalid(SERVICE, "must be an OData service as the agent names it: 1 to 64 letters, digits, '_', '.' "
          + "or '-', was '" + service + "'");
    }
    if (!caller.restriction().allowsService(service)) {
      throw new ProblemException(ProblemType.OUTSIDE_KEY_RESTRICTION, "this API key is restricted to the OData "
          + "services " + String.join(", ", new java.util.TreeSet<>(caller.restriction().odataServices())) + ", not "
          + service + "; ask the tenant's administrator for a key that includes " + service
          + " (ferry admin keys create --odata-services " + service + ")");
    }
    return service;
  }

  /**
   * The resource path below the service root, as the engine wrote it after the service: segments that are not empty,
   * none of them {@code .} or {@code ..}, no control characters or backslashes, bounded in length.
   */
  static String resourcePath(Context ctx) {
    String path = ctx.pathParam(RESOURCE);
    if (path.isEmpty() || path.length() > MAX_PATH) {
      throw invalid(RESOURCE, "must be a resource path below the service of 1 to " + MAX_PATH + " characters");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw invalid(RESOURCE, "must not have empty, '.' or '..' segments, was '" + path + "'");
      }
    }
    // '?' and '#' (sent encoded) would smuggle query options or a fragment past the check of the options; a '%' left
    // after the server's decoding would be decoded once more on the way to Gateway ('%252E%252E' is '..').
    if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7F || c == '\\' || c == '?' || c == '#' || c == '%')) {
      throw invalid(RESOURCE, "must not hold control characters, backslashes, '?', '#' or '%' (after decoding)");
    }
    return path;
  }

  /**
   * The query string, raw as the engine sent it, with only the system query options of {@link #QUERY_OPTIONS}
   * ({@code reads}) or none at all (writes); {@code callbackUrl} is the relay's own and is not passed on.
   */
  static String query(Context ctx, boolean reads) {
    String raw = ctx.queryString();
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    StringBuilder passed = new StringBuilder();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
      if (!reads && name.equals(EngineHandlers.CALLBACK_URL)) {
        continue;
      }
      if (!reads || !QUERY_OPTIONS.contains(name)) {
        throw invalid(name, reads ? "is not a query option the relay passes on; use " + String.join(" ",
            new java.util.TreeSet<>(QUERY_OPTIONS)) : "is not taken by a write (only callbackUrl is)");
      }
      passed.append(passed.isEmpty() ? "" : "&").append(pair);
    }
    return passed.toString();
  }

  private static ProblemException invalid(String field, String message) {
    return new ProblemException(ProblemType.INVALID_FIELDS, field + " " + message)
        .errors(List.of(new FieldError(field, message)));
  }
}
