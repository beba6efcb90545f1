package io.ferry.relay.http;

import io.ferry.protocol.Protocol;
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
  }

  /** The admin API: every route needs an API key with scope {@code admin} and acts on that key's tenant. */
  static void admin(JavalinDefaultRouting r, AdminHandlers admin) {
    r.get(AdminHandlers.PREFIX + "/tenants", admin::listTenants);
    r.post(AdminHandlers.PREFIX + "/keys", admin::createKey);
    r.get(AdminHandlers.PREFIX + "/keys", admin::listKeys);
    r.delete(AdminHandlers.PREFIX + "/keys/{id}", admin::revokeKey);
    r.get(AdminHandlers.PREFIX + "/agents", admin::listAgents);
    r.post(AdminHandlers.PREFIX + "/agents/{id}/disable", admin::disableAgent);
    r.post(AdminHandlers.PREFIX + "/enrollment-tokens", admin::createEnrollmentToken);
    r.get(AdminHandlers.PREFIX + "/audit", admin::audit);
  }

  /** A request id on every answer, and every exception answered as a problem (see {@link Problems}). */
  static void requestIdsAndProblems(JavalinDefaultRouting r) {
    r.before(RequestIds::assign);
    // Javalin maps its own HttpResponseException (404, 405, 413) unless that class has a handler of its own.
    r.exception(HttpResponseException.class, (e, ctx) -> Problems.fromThrowable(e, ctx).send(ctx));
    r.exception(Exception.class, (e, ctx) -> Problems.fromThrowable(e, ctx).send(ctx));
  }
}
