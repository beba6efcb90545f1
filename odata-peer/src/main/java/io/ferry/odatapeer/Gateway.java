package io.ferry.odatapeer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.olingo.odata2.api.ODataCallback;
import org.apache.olingo.odata2.api.ODataService;
import org.apache.olingo.odata2.api.ODataServiceFactory;
import org.apache.olingo.odata2.api.commons.HttpStatusCodes;
import org.apache.olingo.odata2.api.commons.ODataHttpMethod;
import org.apache.olingo.odata2.api.processor.ODataContext;
import org.apache.olingo.odata2.api.processor.ODataErrorCallback;
import org.apache.olingo.odata2.api.processor.ODataRequest;
import org.apache.olingo.odata2.api.processor.ODataResponse;
import org.apache.olingo.odata2.api.uri.PathSegment;
import org.apache.olingo.odata2.core.ODataContextImpl;
import org.apache.olingo.odata2.core.ODataPathSegmentImpl;
import org.apache.olingo.odata2.core.ODataRequestHandler;
import org.apache.olingo.odata2.core.PathInfoImpl;
import org.apache.olingo.odata2.core.commons.Decoder;

/**
 * What SAP Gateway (and the ICF in front of it) does around the OData service, in the order it does
 * it: fault injection for tests, the service path, {@code sap-client}, basic authentication, the
 * service authorization, CSRF; then the request goes to Olingo with the {@link PartnerProcessor}, and
 * JSON answers get each entity's ETag in {@code __metadata}. One routing function for {@code main}
 * and the tests.
 */
final class Gateway implements HttpHandler {

  static final String SERVICE_PATH = "/sap/opu/odata/sap/API_BUSINESS_PARTNER";
  private static final String SERVICES_PATH = ServiceModel.SERVICES_PATH;
  private static final Set<String> MODIFYING = Set.of("POST", "PUT", "PATCH", "MERGE", "DELETE");

  private final ODataPeer.Options options;
  private final Store store;
  private final List<ServiceModel> services;
  private final Map<String, ServiceFactory> factories = new java.util.HashMap<>();
  private final Map<String, String> setOfType;
  private final GatewayErrors errors;
  private final CsrfSessions csrf;

  final AtomicInteger failNext = new AtomicInteger();
  volatile Duration delay = Duration.ZERO;
  volatile boolean refuseCsrf;
  volatile boolean denyAuthorization;
  final AtomicBoolean concurrentChange = new AtomicBoolean();
  final AtomicBoolean failAfterNextCreate = new AtomicBoolean();
  final AtomicBoolean bareNextCreate = new AtomicBoolean();
  /** After a create {@link #bareNextCreate} answered, this many requests answer 503. */
  final AtomicInteger failAfterBareCreate = new AtomicInteger();
  final List<String> requests = new CopyOnWriteArrayList<>();
  /** As {@link #requests}, with the query string ({@code ?…}, decoded) where the request had one. */
  final List<String> requestsWithQuery = new CopyOnWriteArrayList<>();
  /** The W3C {@code traceparent} of each request that sent one, in arrival order (SAP Gateway accepts it). */
  final List<String> traceparents = new CopyOnWriteArrayList<>();

  /**
   * @param setOfType entity type (qualified name) → the entity set of the stored sets, for ETags
   */
  Gateway(ODataPeer.Options options, Store store, List<ServiceModel> services, Map<String, String> setOfType,
      Clock clock) {
    this.options = options;
    this.store = store;
    this.services = List.copyOf(services);
    services.forEach(s -> factories.put(s.name(), new ServiceFactory(s)));
    this.setOfType = setOfType;
    this.errors = new GatewayErrors(clock);
    this.csrf = new CsrfSessions("SAP_SESSIONID_FER_" + options.client());
  }

  CsrfSessions csrf() {
    return csrf;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        serve(exchange);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        send(exchange, 503, "text/plain", "the peer is stopping");
      } catch (Exception e) {
        send(exchange, 500, "text/plain", "the peer failed: " + e);
      }
    }
  }

  private void serve(HttpExchange exchange) throws Exception {
    String path = exchange.getRequestURI().getRawPath();
    String method = effectiveMethod(exchange);
    // Requests are recorded below the business-partner root as before; the sales-order service's keep their name.
    String request = method + " " + (path.startsWith(SERVICE_PATH + "/") || path.equals(SERVICE_PATH)
        ? path.substring(SERVICE_PATH.length()) : path.startsWith(SERVICES_PATH) ? path.substring(SERVICES_PATH.length() - 1)
        : path);
    requests.add(request);
    String decodedQuery = exchange.getRequestURI().getQuery();
    requestsWithQuery.add(request + (decodedQuery == null ? "" : "?" + decodedQuery));
    String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
    if (traceparent != null) {
      traceparents.add(traceparent);
    }

    Duration d = delay;
    if (!d.isZero()) {
      Thread.sleep(d.toMillis());
    }
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      send(exchange, 503, "text/html", "<html><body><h1>503 Service Unavailable</h1>"
          + "<p>No server is available to handle this request (ODataPeer fault injection)</p></body></html>");
      return;
    }
    ServiceModel service = services.stream().filter(m -> m.serves(path)).findFirst().orElse(null);
    if (service == null) {
      noService(exchange, path);
      return;
    }
    Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
    List<String> client = query.get("sap-client");
    if (client != null && !client.contains(options.client())) {
      send(exchange, 401, "text/plain", "Logon failed: client " + client.get(0) + " is not available in this system");
      return;
    }
    if (!authenticated(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.getResponseHeaders().add("WWW-Authenticate",
          "Basic realm=\"SAP NetWeaver Application Server [FER/" + options.client() + "]\"");
      send(exchange, 401, "text/plain", "Logon failed");
      return;
    }
    if (denyAuthorization) {
      sendError(exchange, HttpStatusCodes.FORBIDDEN, new SapError.Detail("ZFERRY_PEER/403",
          "No authorization for service " + service.name() + ": the user lacks the role for it", "", "error"));
      return;
    }
    String session = csrf.session(exchange.getRequestHeaders().getFirst("Cookie"));
    String token = exchange.getRequestHeaders().getFirst("X-CSRF-Token");
    if (MODIFYING.contains(method)) {
      if (refuseCsrf || !csrf.valid(session, token)) {
        exchange.getResponseHeaders().add("X-CSRF-Token", "Required");
        send(exchange, 403, "text/plain", "CSRF token validation failed");
        return;
      }
    } else if ("Fetch".equalsIgnoreCase(token)) {
      CsrfSessions.Fetched fetched = csrf.fetch(session);
      exchange.getResponseHeaders().add("X-CSRF-Token", fetched.token());
      if (fetched.newSession() != null) {
        exchange.getResponseHeaders().add("Set-Cookie", csrf.cookieName() + "=" + fetched.newSession() + "; path=/; HttpOnly");
        exchange.getResponseHeaders().add("Set-Cookie", "sap-usercontext=sap-client=" + options.client() + "; path=/");
      }
    }
    ODataResponse response = olingo(exchange, service, method, path, query);
    if ("POST".equals(method) && response.getStatus().getStatusCode() == 201 && failAfterNextCreate.getAndSet(false)) {
      // Committed, and the answer lost: what a gateway timeout after the backend posted looks like.
      send(exchange, 503, "text/html", "<html><body><h1>503 Service Unavailable</h1>"
          + "<p>The backend did not answer in time (ODataPeer fault injection after the create was committed)</p></body></html>");
      return;
    }
    if ("POST".equals(method) && response.getStatus().getStatusCode() == 201 && bareNextCreate.getAndSet(false)) {
      // Committed, answered 201 with its Location and messages but without a body: the client has to read it.
      for (String name : List.of("Location", "sap-message")) {
        String value = response.getHeader(name);
        if (value != null) {
          exchange.getResponseHeaders().add(name, value);
        }
      }
      failNext.addAndGet(failAfterBareCreate.getAndSet(0));
      exchange.sendResponseHeaders(201, -1);
      return;
    }
    respond(exchange, response);
  }

  /** {@code POST} with {@code X-HTTP-Method: MERGE} is a MERGE, as SAP Gateway and Olingo's servlet read it. */
  private static String effectiveMethod(HttpExchange exchange) {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String tunnelled = exchange.getRequestHeaders().getFirst("X-HTTP-Method");
    if (method.equals("POST") && tunnelled != null) {
      return tunnelled.toUpperCase(Locale.ROOT);
    }
    return method.equals("HEAD") ? "GET" : method;
  }

  private boolean authenticated(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    try {
      String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      // SAP user names are case-insensitive; passwords are not.
      return colon > 0 && pair.substring(0, colon).equalsIgnoreCase(options.user())
          && pair.substring(colon + 1).equals(options.password());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** SAP Gateway's answer for a service that is not registered or not active (SAP-like, unverified code). */
  private void noService(HttpExchange exchange, String path) throws IOException {
    if (!path.startsWith(SERVICES_PATH)) {
      send(exchange, 404, "text/plain", "Not found: " + path);
      return;
    }
    String name = path.substring(SERVICES_PATH.length()).split("/", 2)[0];
    sendError(exchange, HttpStatusCodes.NOT_FOUND, new SapError.Detail("/IWFND/MED/170",
        "No service found for namespace '/SAP/', name '" + name.toUpperCase(Locale.ROOT) + "', version '0001'", "", "error"));
  }

  private ODataResponse olingo(HttpExchange exchange, ServiceModel service, String method, String path,
      Map<String, List<String>> query) throws Exception {
    String servicePath = service.path();
    ServiceFactory factory = factories.get(service.name());
    String host = exchange.getRequestHeaders().getFirst("Host");
    String base = "http://" + (host == null ? options.host() + ":" + exchange.getLocalAddress().getPort() : host);
    PathInfoImpl pathInfo = new PathInfoImpl();
    List<PathSegment> preceding = new ArrayList<>();
    for (String s : servicePath.substring(1).split("/")) {
      preceding.add(new ODataPathSegmentImpl(s, null));
    }
    pathInfo.setPrecedingPathSegment(preceding);
    List<PathSegment> segments = new ArrayList<>();
    String rest = path.substring(servicePath.length());
    while (rest.startsWith("/")) {
      rest = rest.substring(1);
    }
    if (!rest.isEmpty()) {
      for (String s : rest.split("/", -1)) {
        segments.add(new ODataPathSegmentImpl(s, null));
      }
    }
    pathInfo.setODataPathSegment(segments);
    pathInfo.setServiceRoot(URI.create(base + servicePath + "/"));
    String rawQuery = exchange.getRequestURI().getRawQuery();
    pathInfo.setRequestUri(URI.create(base + path + (rawQuery == null ? "" : "?" + rawQuery)));

    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, new ArrayList<>(v)));
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    ODataRequest request = ODataRequest.method(ODataHttpMethod.valueOf(method))
        .httpMethod(exchange.getRequestMethod())
        .contentType(contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType)
        // $metadata is XML whatever the client accepts, as SAP Gateway answers it.
        .acceptHeaders(path.endsWith("/$metadata") ? List.of() : accept(exchange.getRequestHeaders().getFirst("Accept")))
        .acceptableLanguages(List.of(Locale.ENGLISH))
        .pathInfo(pathInfo)
        .allQueryParameters(query)
        .requestHeaders(headers)
        .body(exchange.getRequestBody())
        .build();
    ODataContextImpl context = new ODataContextImpl(request, factory);
    ODataService odata = factory.createService(context);
    context.setService(odata);
    odata.getProcessor().setContext(context);
    return new ODataRequestHandler(factory, odata, context).handle(request);
  }

  private void respond(HttpExchange exchange, ODataResponse response) throws IOException {
    int status = response.getStatus().getStatusCode();
    for (String name : response.getHeaderNames()) {
      exchange.getResponseHeaders().add(name, response.getHeader(name));
    }
    byte[] body = body(response.getEntity());
    String type = response.getContentHeader();
    if (body.length > 0 && type != null && type.contains("json") && (status == 200 || status == 201)) {
      body = withEtags(body);
    }
    if (status == 204 || body.length == 0) {
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] body(Object entity) throws IOException {
    if (entity == null) {
      return new byte[0];
    }
    if (entity instanceof InputStream in) {
      try (in) {
        return in.readAllBytes();
      }
    }
    if (entity instanceof byte[] b) {
      return b;
    }
    return entity.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Adds {@code etag} to the {@code __metadata} of every stored entity under concurrency control in a
   * JSON answer, as SAP Gateway writes it. (Olingo derives ETags only from properties with concurrency
   * facets, which this EDMX has none of; SAP's service versions {@code A_BusinessPartner} by its
   * {@code ETag} property.) Entities of other sets get none, as from SAP.
   */
  private byte[] withEtags(byte[] json) throws IOException {
    JsonNode root = GatewayErrors.JSON.readTree(json);
    synchronized (store) {
      annotate(root);
    }
    return GatewayErrors.JSON.writeValueAsBytes(root);
  }

  private void annotate(JsonNode node) {
    if (node.isArray()) {
      node.forEach(this::annotate);
      return;
    }
    if (!node.isObject()) {
      return;
    }
    JsonNode meta = node.get("__metadata");
    if (meta instanceof ObjectNode m && m.hasNonNull("type")) {
      String set = setOfType.get(m.get("type").asText());
      if (set != null && store.versioned(set)) {
        Map<String, Object> key = new LinkedHashMap<>();
        for (String k : store.keyNames(set)) {
          JsonNode v = node.get(k);
          key.put(k, v == null || v.isNull() ? null : v.asText());
        }
        if (key.containsValue(null) && m.hasNonNull("uri")) {
          key = keyOfUri(set, m.get("uri").asText());
        }
        store.find(set, store.alpha().input(key)).ifPresent(row -> m.put("etag", row.etag()));
      }
    }
    node.forEach(this::annotate);
  }

  private static final Pattern SINGLE_KEY = Pattern.compile("\\('((?:[^']|'')*)'\\)$");
  private static final Pattern KEY_PART = Pattern.compile("(\\w+)='((?:[^']|'')*)'");

  /** The key in an entity's URI ({@code …/Set('1')} or {@code …/Set(A='1',B='2')}), when {@code $select} left the key properties out. */
  private Map<String, Object> keyOfUri(String set, String uri) {
    Map<String, Object> key = new LinkedHashMap<>();
    String last = uri.substring(uri.lastIndexOf('/') + 1);
    List<String> names = store.keyNames(set);
    Matcher single = SINGLE_KEY.matcher(last);
    if (names.size() == 1 && single.find()) {
      key.put(names.get(0), unquote(single.group(1)));
      return key;
    }
    Matcher part = KEY_PART.matcher(last);
    while (part.find()) {
      key.put(part.group(1), unquote(part.group(2)));
    }
    return key;
  }

  private static String unquote(String literal) {
    return Decoder.decode(literal).replace("''", "'");
  }

  private void sendError(HttpExchange exchange, HttpStatusCodes status, SapError.Detail detail) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json;charset=utf-8");
    byte[] body = errors.body(List.of(detail));
    exchange.sendResponseHeaders(status.getStatusCode(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type + ";charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Query parameters, percent-decoded as Olingo's servlet does ({@code +} stays a plus). */
  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String part : raw.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      String decoded = Decoder.decode(part);
      int eq = decoded.indexOf('=');
      String name = eq < 0 ? decoded : decoded.substring(0, eq);
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(eq < 0 ? "" : decoded.substring(eq + 1));
    }
    return params;
  }

  /** Media types of an {@code Accept} header, best first (quality factors honoured, then order). */
  private static List<String> accept(String header) {
    if (header == null || header.isBlank()) {
      return List.of();
    }
    record Type(String value, double q, int index) {}
    List<Type> types = new ArrayList<>();
    String[] parts = header.split(",");
    for (int i = 0; i < parts.length; i++) {
      String[] params = parts[i].strip().split(";");
      double q = 1;
      StringBuilder value = new StringBuilder(params[0].strip());
      for (int j = 1; j < params.length; j++) {
        String p = params[j].strip();
        if (p.startsWith("q=")) {
          try {
            q = Double.parseDouble(p.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        } else if (!p.isEmpty()) {
          value.append(';').append(p);
        }
      }
      types.add(new Type(value.toString(), q, i));
    }
    types.sort((a, b) -> a.q() != b.q() ? Double.compare(b.q(), a.q()) : Integer.compare(a.index(), b.index()));
    return types.stream().map(Type::value).toList();
  }

  /** One service per request, whose processor gets the request's context. */
  private final class ServiceFactory extends ODataServiceFactory {

    private final ServiceModel model;

    ServiceFactory(ServiceModel model) {
      this.model = model;
    }

    @Override
    public ODataService createService(ODataContext ctx) {
      return createODataSingleProcessorService(model.edm(),
          new PartnerProcessor(store, model.metadata(), model.navigationNames(), concurrentChange,
              options.pageSize()));
    }

    @Override
    public <T extends ODataCallback> T getCallback(Class<T> callbackInterface) {
      return callbackInterface.equals(ODataErrorCallback.class) ? callbackInterface.cast(errors) : null;
    }
  }
}
