package io.ferry.relay.http;

import io.ferry.protocol.Protocol;
import io.ferry.relay.metrics.RelayMetrics;
import io.ferry.relay.trace.TraceMdc;
import io.javalin.http.HttpResponseException;
import io.javalin.router.JavalinDefaultRouting;

/** Every route of the relay, in one place. */
final class Routes {

  private Routes() {}

  /** The path of the engine API's description; the one engine route without an API key. */
  static final String OPENAPI_PATH = "/openapi.json";

  static void routing(JavalinDefaultRouting r, EngineHandlers engine, BatchHandlers batches, AgentHandlers agent,
      ApiDescription description) {
    requestIdsAndProblems(r);

    r.get(OPENAPI_PATH, description::serve);
    r.get("/v1/connection", engine::testConnection);
    r.post("/v1/customers", engine::createCustomer);
    r.get("/v1/customers", engine::listCustomers);
    r.put("/v1/customers/by-external-id/{externalId}", engine::upsertCustomer);
    r.get("/v1/customers/{customerNumber}", engine::readCustomer);
    r.patch("/v1/customers/{customerNumber}", engine::updateCustomer);
    r.get("/v1/operations/{id}", engine::getOperation);
    r.post(BatchHandlers.PATH, batches::create);
    r.get(BatchHandlers.PATH + "/{id}", batches::get);
    r.get(BatchHandlers.PATH + "/{id}/results", batches::results);

    r.post(Protocol.ENROLL_PATH, agent::enroll);
    r.post(Protocol.POLL_PATH, agent::poll);
    r.delete(Protocol.POLL_PATH, agent::stopPolling);
    r.post(Protocol.LEASE_PATH, agent::renewLease);
    r.post(Protocol.RESULT_PATH, agent::postResult);
    r.post(Protocol.KEY_PATH, agent::changeKey);
    r.post(Protocol.SESSION_PATH, agent::openSession);
  }

  /** The admin API: every route needs an API key with scope {@code admin} and acts on that key's tenant. */
  static void admin(JavalinDefaultRouting r, AdminHandlers admin, AdminJobHandlers jobs) {
    r.get(AdminHandlers.PREFIX + "/tenants", admin::listTenants);
    r.post(AdminHandlers.PREFIX + "/keys", admin::createKey);
    r.get(AdminHandlers.PREFIX + "/keys", admin::listKeys);
    r.delete(AdminHandlers.PREFIX + "/keys/{id}", admin::revokeKey);
    r.get(AdminHandlers.PREFIX + "/agents", admin::listAgents);
    r.post(AdminHandlers.PREFIX + "/agents/{id}/disable", admin::disableAgent);
    r.post(AdminHandlers.PREFIX + "/enrollment-tokens", admin::createEnrollmentToken);
    r.get(AdminHandlers.PREFIX + "/audit", admin::audit);
    r.get(AdminHandlers.PREFIX + "/jobs", jobs::list);
    r.get(AdminHandlers.PREFIX + "/jobs/{id}", jobs::show);
    r.post(AdminHandlers.PREFIX + "/jobs/{id}/retry", jobs::retry);
    r.post(AdminHandlers.PREFIX + "/jobs/{id}/cancel", jobs::cancel);
    r.get(AdminHandlers.PREFIX + "/batches", jobs::listBatches);
    r.get(AdminHandlers.PREFIX + "/batches/{id}", jobs::showBatch);
  }

  /** The web console: static files only; it talks to the admin API like any other client. */
  static void console(JavalinDefaultRouting r, ConsoleFiles console) {
    r.get(ConsoleFiles.PATH, console::index);
    r.get(ConsoleFiles.PATH + "/{file}", console::file);
  }

  /** Liveness, readiness and Prometheus metrics, for the operator: no API key (see {@link HealthHandlers}). */
  static void operations(JavalinDefaultRouting r, HealthHandlers health) {
    r.get(HealthHandlers.HEALTHZ, health::healthz);
    r.get(HealthHandlers.READYZ, health::readyz);
    r.get(HealthHandlers.METRICS, health::metrics);
  }

  /**
   * Times every answered request into {@code http.server.requests}, labelled by the route template (so a
   * customer number never becomes a label) or NOT_FOUND, method and status.
   */
  static void requestMetrics(JavalinDefaultRouting r, RelayMetrics metrics) {
    r.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
    r.after(ctx -> {
      Long started = ctx.attribute(STARTED);
      if (started != null) {
        metrics.httpRequest(ctx.method().name(), routeOf(ctx), ctx.statusCode(), System.nanoTime() - started);
      }
    });
  }

  private static final String STARTED = "ferry.started";

  private static String routeOf(io.javalin.http.Context ctx) {
    if (ctx.statusCode() == 404) {
      return "NOT_FOUND";
    }
    try {
      String path = ctx.endpointHandlerPath();
      return path == null || path.isEmpty() || path.equals("*") ? "UNMATCHED" : path;
    } catch (RuntimeException e) {
      return "UNMATCHED";
    }
  }

  /** A request id and a trace context ({@link Traceparent}) on every answer, and every exception answered as a problem (see {@link Problems}). */
  static void requestIdsAndProblems(JavalinDefaultRouting r) {
    r.before(RequestIds::assign);
    r.before(Traceparent::assign);
    r.after(ctx -> TraceMdc.clear());
    // Javalin maps its own HttpResponseException (404, 405, 413) unless that class has a handler of its own.
    r.exception(HttpResponseException.class, (e, ctx) -> Problems.fromThrowable(e, ctx).send(ctx));
    r.exception(Exception.class, (e, ctx) -> Problems.fromThrowable(e, ctx).send(ctx));
  }
}
