package io.ferry.relay.http;

import static io.ferry.relay.auth.Scope.CHANGES_READ;
import static io.ferry.relay.auth.Scope.CUSTOMERS_READ;
import static io.ferry.relay.auth.Scope.CUSTOMERS_WRITE;
import static io.ferry.relay.auth.Scope.FUNCTIONS_CALL;
import static io.ferry.relay.auth.Scope.ODATA_READ;
import static io.ferry.relay.auth.Scope.ODATA_WRITE;
import static io.ferry.relay.auth.Scope.SALES_ORDERS_READ;
import static io.ferry.relay.auth.Scope.SALES_ORDERS_WRITE;
import static io.ferry.relay.auth.Scope.SUBSCRIPTIONS_WRITE;

import io.ferry.protocol.Protocol;
import io.ferry.relay.metrics.RelayMetrics;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.router.Endpoint;
import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * Every route of the relay, in one place, each with the {@link Access} it takes: the table of who may call
 * what (docs/security.md shows it, and a test walks it on a running relay).
 */
final class Routes {

  private Routes() {}

  /** The path of the engine API's description; the one engine route without an API key. */
  static final String OPENAPI_PATH = "/openapi.json";

  static void routing(Table t, EngineHandlers engine, SalesOrderHandlers salesOrders, FunctionHandlers functions,
      ODataHandlers odata, BatchHandlers batches, ChangeHandlers changes, SubscriptionHandlers subscriptions,
      AgentHandlers agent, AgentStream stream,
      ApiDescription description) {
    requestIdsAndProblems(t.routing);

    t.get(OPENAPI_PATH, Access.none(), description::serve);
    t.get("/v1/connection", Access.apiKey(), engine::testConnection);
    t.post("/v1/customers", Access.apiKey(CUSTOMERS_WRITE), engine::createCustomer);
    t.get("/v1/customers", Access.apiKey(CUSTOMERS_READ), engine::listCustomers);
    t.put("/v1/customers/by-external-id/{externalId}", Access.apiKey(CUSTOMERS_WRITE), engine::upsertCustomer);
    t.get("/v1/customers/{customerNumber}", Access.apiKey(CUSTOMERS_READ), engine::readCustomer);
    t.patch("/v1/customers/{customerNumber}", Access.apiKey(CUSTOMERS_WRITE), engine::updateCustomer);
    t.post(SalesOrderHandlers.PATH, Access.apiKey(SALES_ORDERS_WRITE), salesOrders::create);
    t.get(SalesOrderHandlers.PATH + "/{salesOrder}", Access.apiKey(SALES_ORDERS_READ), salesOrders::read);
    // An operation is the outcome of a read or a write: either key of its object may follow the one it started
    // (the handler checks the object's scopes once it knows the job).
    // Generic calls: function modules and OData resources the agent allows (the key's restriction narrows them).
    t.get(FunctionHandlers.PATH, Access.apiKey(FUNCTIONS_CALL), functions::list);
    t.get(FunctionHandlers.PATH + "/{name}", Access.apiKey(FUNCTIONS_CALL), functions::describe);
    t.post(FunctionHandlers.PATH + "/{name}", Access.apiKey(FUNCTIONS_CALL), functions::call);
    t.get(ODataHandlers.PATH, Access.apiKey(ODATA_READ), odata::list);
    // The two fixed routes before the path route that would take them too: the router tries them in this order.
    t.get(ODataHandlers.PATH + "/{service}/$metadata", Access.apiKey(ODATA_READ), odata::metadata);
    t.get(ODataHandlers.PATH + "/{service}/{entitySet}/schema", Access.apiKey(ODATA_READ), odata::schema);
    t.get(ODataHandlers.PATH + "/{service}/<path>", Access.apiKey(ODATA_READ), odata::read);
    t.post(ODataHandlers.PATH + "/{service}/<path>", Access.apiKey(ODATA_WRITE), odata::write);
    t.put(ODataHandlers.PATH + "/{service}/<path>", Access.apiKey(ODATA_WRITE), odata::write);
    t.patch(ODataHandlers.PATH + "/{service}/<path>", Access.apiKey(ODATA_WRITE), odata::write);
    t.delete(ODataHandlers.PATH + "/{service}/<path>", Access.apiKey(ODATA_WRITE), odata::write);
    t.get("/v1/operations/{id}", Access.apiKey(CUSTOMERS_READ, CUSTOMERS_WRITE, SALES_ORDERS_READ, SALES_ORDERS_WRITE,
        FUNCTIONS_CALL, ODATA_READ, ODATA_WRITE), engine::getOperation);
    t.post(BatchHandlers.PATH, Access.apiKey(CUSTOMERS_WRITE), batches::create);
    // A batch's progress (counts only) is followed like an operation; its results hold customer numbers
    // and SAP's answers, customer data: customers:read.
    t.get(BatchHandlers.PATH + "/{id}", Access.apiKey(CUSTOMERS_READ, CUSTOMERS_WRITE), batches::get);
    t.get(BatchHandlers.PATH + "/{id}/results", Access.apiKey(CUSTOMERS_READ), batches::results);
    BatchHandlers orderBatches = batches.forSalesOrders();
    t.post(BatchHandlers.SALES_ORDER_PATH, Access.apiKey(SALES_ORDERS_WRITE), orderBatches::create);
    t.get(BatchHandlers.SALES_ORDER_PATH + "/{id}", Access.apiKey(SALES_ORDERS_READ, SALES_ORDERS_WRITE),
        orderBatches::get);
    t.get(BatchHandlers.SALES_ORDER_PATH + "/{id}/results", Access.apiKey(SALES_ORDERS_READ), orderBatches::results);
    t.get(ChangeHandlers.PATH, Access.apiKey(CHANGES_READ), changes::list);
    t.get(ChangeTriggerHandlers.PATH, Access.apiKey(CHANGES_READ), changes.trigger()::poll);
    // Webhook subscriptions: the flow that makes one also lists, reads and deletes it, with the same key.
    t.post(SubscriptionHandlers.PATH, Access.apiKey(SUBSCRIPTIONS_WRITE), subscriptions::create);
    t.get(SubscriptionHandlers.PATH, Access.apiKey(SUBSCRIPTIONS_WRITE), subscriptions::list);
    t.get(SubscriptionHandlers.PATH + "/{id}", Access.apiKey(SUBSCRIPTIONS_WRITE), subscriptions::get);
    t.delete(SubscriptionHandlers.PATH + "/{id}", Access.apiKey(SUBSCRIPTIONS_WRITE), subscriptions::delete);

    t.post(Protocol.ENROLL_PATH, Access.enrollmentToken(), agent::enroll);
    t.post(Protocol.POLL_PATH, Access.agent(), agent::poll);
    t.delete(Protocol.POLL_PATH, Access.agent(), agent::stopPolling);
    t.post(Protocol.LEASE_PATH, Access.agent(), agent::renewLease);
    t.post(Protocol.RESULT_PATH, Access.agent(), agent::postResult);
    t.post(Protocol.RESULTS_PATH, Access.agent(), agent::postResults);
    t.post(Protocol.CHANGES_PATH, Access.agent(), changes::post);
    t.post(Protocol.KEY_PATH, Access.agent(), agent::changeKey);
    t.post(Protocol.SESSION_PATH, Access.agentSignature(), agent::openSession);
    t.webSocket(Protocol.STREAM_PATH, Access.agent(), ctx -> AgentStream.requireSession(Guard.agent(ctx)),
        stream::configure);
  }

  /** The admin API: every route needs an API key with scope {@code admin} and acts on that key's tenant. */
  static void admin(Table t, AdminHandlers admin, AdminJobHandlers jobs, SubscriptionHandlers subscriptions) {
    Access a = Access.admin();
    t.get(AdminHandlers.PREFIX + "/tenants", a, admin::listTenants);
    t.post(AdminHandlers.PREFIX + "/keys", a, admin::createKey);
    t.get(AdminHandlers.PREFIX + "/keys", a, admin::listKeys);
    t.delete(AdminHandlers.PREFIX + "/keys/{id}", a, admin::revokeKey);
    t.get(AdminHandlers.PREFIX + "/agents", a, admin::listAgents);
    t.post(AdminHandlers.PREFIX + "/agents/{id}/disable", a, admin::disableAgent);
    t.post(AdminHandlers.PREFIX + "/enrollment-tokens", a, admin::createEnrollmentToken);
    t.get(AdminHandlers.PREFIX + "/audit", a, admin::audit);
    t.get(AdminHandlers.PREFIX + "/jobs", a, jobs::list);
    t.get(AdminHandlers.PREFIX + "/jobs/{id}", a, jobs::show);
    t.post(AdminHandlers.PREFIX + "/jobs/{id}/retry", a, jobs::retry);
    t.post(AdminHandlers.PREFIX + "/jobs/{id}/cancel", a, jobs::cancel);
    t.get(AdminHandlers.PREFIX + "/batches", a, jobs::listBatches);
    t.get(AdminHandlers.PREFIX + "/batches/{id}", a, jobs::showBatch);
    t.get(SubscriptionHandlers.ADMIN_PATH, a, subscriptions::adminList);
  }

  /** The web console: static files only; it talks to the admin API like any other client. */
  static void console(Table t, ConsoleFiles console) {
    t.get(ConsoleFiles.PATH, Access.none(), console::index);
    t.get(ConsoleFiles.PATH + "/{file}", Access.none(), console::file);
  }

  /** Liveness, readiness and Prometheus metrics, for the operator: no API key (see {@link HealthHandlers}). */
  static void operations(Table t, HealthHandlers health) {
    t.get(HealthHandlers.HEALTHZ, Access.none(), health::healthz);
    t.get(HealthHandlers.READYZ, Access.none(), health::readyz);
    t.get(HealthHandlers.METRICS, Access.metrics(), health::metrics);
  }

  /**
   * Registers routes with their {@link Access}, guarded by {@link Guard} and readable from the running
   * router. A GET route is registered as HEAD too, with the same access and handler (HEAD is GET without
   * the body, RFC 9110): left to itself the router answers HEAD of a GET route 200 without running
   * anything, so {@code HEAD /admin/v1/keys} would pass without a key.
   */
  static final class Table {

    final JavalinDefaultRoutingApi routing;
    private final Guard guard;

    Table(JavalinDefaultRoutingApi routing, Guard guard) {
      this.routing = routing;
      this.guard = guard;
    }

    void get(String path, Access access, Handler handler) {
      add(HandlerType.GET, path, access, handler);
      add(HandlerType.HEAD, path, access, handler);
    }

    void post(String path, Access access, Handler handler) {
      add(HandlerType.POST, path, access, handler);
    }

    void put(String path, Access access, Handler handler) {
      add(HandlerType.PUT, path, access, handler);
    }

    void patch(String path, Access access, Handler handler) {
      add(HandlerType.PATCH, path, access, handler);
    }

    void delete(String path, Access access, Handler handler) {
      add(HandlerType.DELETE, path, access, handler);
    }

    /**
     * A WebSocket route: {@code access} and {@code upgradeCheck} run on the upgrade request (a refusal is an
     * HTTP problem, as on any route), {@code ws} on the connection once upgraded.
     */
    void webSocket(String path, Access access, Handler upgradeCheck,
        java.util.function.Consumer<io.javalin.websocket.WsConfig> ws) {
      add(HandlerType.WEBSOCKET_BEFORE_UPGRADE, path, access, upgradeCheck);
      routing.ws(path, ws);
    }

    private void add(HandlerType method, String path, Access access, Handler handler) {
      routing.addEndpoint(Endpoint.create(method, path).addMetadata(access).handler(guard.guard(access, handler)));
    }
  }

  /**
   * Times every answered request into {@code http.server.requests}, labelled by the route template (so a
   * customer number never becomes a label) or NOT_FOUND, method and status.
   */
  static void requestMetrics(JavalinDefaultRoutingApi r, RelayMetrics metrics) {
    r.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
    r.after(ctx -> {
      Long started = ctx.attribute(STARTED);
      if (started != null) {
        metrics.httpRequest(ctx.method().name(), routeOf(ctx), ctx.statusCode(), System.nanoTime() - started);
      }
    });
  }

  private static final String STARTED = "ferry.started";

  /** The route template that answered, {@code NOT_FOUND} or {@code UNMATCHED}: never the raw path with its ids. */
  static String routeOf(io.javalin.http.Context ctx) {
    if (ctx.statusCode() == 404) {
      return "NOT_FOUND";
    }
    return template(ctx);
  }

  /** The route template of the request's endpoint ({@code /v1/customers/{customerNumber}}), or UNMATCHED. */
  static String template(io.javalin.http.Context ctx) {
    Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
    String path = endpoint == null ? null : endpoint.path;
    return path == null || path.isEmpty() || path.equals("*") ? "UNMATCHED" : path;
  }

  /** A request id and a trace context ({@link Traceparent}) on every answer, and every exception answered as a problem (see {@link Problems}). */
  static void requestIdsAndProblems(JavalinDefaultRoutingApi r) {
    r.before(RequestIds::assign);
    r.before(Traceparent::assign);
    r.after(RequestIds::leave);
    // Javalin maps its own HttpResponseException (404, 405, 413) unless that class has a handler of its own.
    r.exception(HttpResponseException.class, (e, ctx) -> Problems.fromThrowable(e, ctx).send(ctx));
    r.exception(Exception.class, (e, ctx) -> Problems.fromThrowable(e, ctx).send(ctx));
  }
}
