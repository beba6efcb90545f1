package io.ferry.relay.http;

import java.net.URI;

/**
 * Every problem the relay answers, with its stable code. Codes never change meaning; new ones are
 * added. The list is documented in cloud-relay/README.md.
 *
 * <p>Ranges: 01xx the request itself, 02xx credentials, 03xx a job's life, 05xx failures an agent
 * reported (used when the agent sent no code of its own), 09xx faults of the relay. Customer batches use
 * 013x (the batch request) and 033x (a batch's life); the change feed 014x.
 */
enum ProblemType {
  MALFORMED_JSON(400, "FERRY-RELAY-0100", "malformed-json", "The body is not valid JSON", false),
  INVALID_FIELDS(422, "FERRY-RELAY-0101", "invalid-fields", "The request has invalid fields", false),
  INVALID_CUSTOMER_NUMBER(422, "FERRY-RELAY-0102", "invalid-customer-number", "The customer number is not valid", false),
  INVALID_SALES_ORDER_NUMBER(422, "FERRY-RELAY-0109", "invalid-sales-order-number",
      "The sales-order number is not valid", false),
  UNSUPPORTED_MEDIA_TYPE(415, "FERRY-RELAY-0103", "unsupported-media-type", "The content type is not supported", false),
  BODY_TOO_LARGE(413, "FERRY-RELAY-0104", "body-too-large", "The request body is too large", false),
  NOT_FOUND(404, "FERRY-RELAY-0105", "not-found", "No such resource", false),
  METHOD_NOT_ALLOWED(405, "FERRY-RELAY-0106", "method-not-allowed", "The method is not allowed here", false),
  UNSUPPORTED_PROTOCOL_VERSION(400, "FERRY-RELAY-0107", "unsupported-protocol-version",
      "The agent speaks a protocol version this relay does not", false),
  INVALID_AGENT_MESSAGE(400, "FERRY-RELAY-0108", "invalid-agent-message", "The agent's message is not valid", false),
  INVALID_IDEMPOTENCY_KEY(400, "FERRY-RELAY-0110", "invalid-idempotency-key", "The Idempotency-Key is not valid", false),
  IDEMPOTENCY_KEY_REUSED(422, "FERRY-RELAY-0111", "idempotency-key-reused",
      "The Idempotency-Key was already used for a different request", false),
  IDEMPOTENT_REQUEST_IN_PROGRESS(409, "FERRY-RELAY-0112", "idempotent-request-in-progress",
      "A request with this Idempotency-Key is being processed", true),
  INVALID_PARAMETER(400, "FERRY-RELAY-0113", "invalid-parameter", "A header or query parameter is not valid", false),
  JSON_TOO_COMPLEX(400, "FERRY-RELAY-0114", "json-too-complex",
      "The JSON body is nested too deeply or holds too long a value", false),
  REQUEST_TIMEOUT(408, "FERRY-RELAY-0115", "request-timeout", "The request did not arrive in time", false),
  AMBIGUOUS_HEADER(400, "FERRY-RELAY-0116", "ambiguous-header",
      "A header that may be sent once is repeated or contradicted", false),
  TOO_MANY_UNAUTHENTICATED(429, "FERRY-RELAY-0120", "too-many-unauthenticated-requests",
      "Too many requests without credentials from this address", true),

  MISSING_API_KEY(401, "FERRY-RELAY-0201", "missing-api-key", "An API key is required", false),
  INVALID_API_KEY(401, "FERRY-RELAY-0202", "invalid-api-key", "The API key is not valid", false),
  INVALID_AGENT_KEY(401, "FERRY-RELAY-0203", "invalid-agent-key", "The agent key is not valid", false),
  INVALID_ENROLLMENT_TOKEN(401, "FERRY-RELAY-0204", "invalid-enrollment-token",
      "The enrollment token is not valid", false),
  RATE_LIMITED(429, "FERRY-RELAY-0205", "rate-limited", "Too many requests for this API key", true),
  TOO_MANY_POLLS(429, "FERRY-RELAY-0207", "too-many-polls", "Too many polls in progress for this agent", true),
  METRICS_TOKEN_REQUIRED(401, "FERRY-RELAY-0208", "metrics-token-required",
      "The metrics need the relay's metrics token", false),
  METRICS_LOOPBACK_ONLY(403, "FERRY-RELAY-0209", "metrics-loopback-only",
      "The metrics are served to this machine only", false),
  OUTSIDE_KEY_RESTRICTION(403, "FERRY-RELAY-0210", "outside-key-restriction",
      "The API key is restricted to other functions or OData services", false),
  INSUFFICIENT_SCOPE(403, "FERRY-RELAY-0206", "insufficient-scope", "The API key lacks a scope this request needs",
      false),

  NO_AGENT_ONLINE(503, "FERRY-RELAY-0301", "no-agent-online", "No agent is online for this tenant", true),
  OPERATION_NOT_FOUND(404, "FERRY-RELAY-0302", "operation-not-found", "No such operation", false),
  JOB_EXPIRED(504, "FERRY-RELAY-0303", "job-expired", "No agent took the job before its deadline", true),
  JOB_DEAD(502, "FERRY-RELAY-0304", "job-dead", "No agent finished the job", false),
  LEASE_NOT_HELD(409, "FERRY-RELAY-0305", "lease-not-held", "The agent does not hold this job's lease", false),
  RESULT_CONFLICT(409, "FERRY-RELAY-0306", "result-conflict", "The job already has another result", false),
  JOB_CANCELLED(409, "FERRY-RELAY-0307", "job-cancelled", "An administrator cancelled the job before any agent took it",
      false),
  JOB_STATE_CONFLICT(409, "FERRY-RELAY-0308", "job-state-conflict", "The job's state does not allow this", false),

  SAP_BUSINESS_ERROR(422, "FERRY-RELAY-0501", "sap-business-error", "SAP refused the request", false),
  CUSTOMER_NOT_FOUND(404, "FERRY-RELAY-0502", "customer-not-found", "The customer does not exist", false),
  SALES_ORDER_NOT_FOUND(404, "FERRY-RELAY-0512", "sales-order-not-found", "The sales order does not exist", false),
  FUNCTION_NOT_FOUND(404, "FERRY-RELAY-0513", "function-not-found",
      "SAP has no such function module, or the agent does not allow it", false),
  ODATA_RESOURCE_NOT_FOUND(404, "FERRY-RELAY-0514", "odata-resource-not-found",
      "The OData service has no such resource", false),
  SAP_UNAVAILABLE(503, "FERRY-RELAY-0503", "sap-unavailable", "SAP is unavailable", true),
  FORBIDDEN_BY_AGENT(403, "FERRY-RELAY-0504", "forbidden-by-agent", "The agent's allowlist does not permit this", false),
  INVALID_FOR_AGENT(422, "FERRY-RELAY-0505", "invalid-for-agent", "The agent cannot run this request", false),
  AGENT_FAILED(500, "FERRY-RELAY-0506", "agent-internal-error", "The agent failed", false),
  PRECONDITION_FAILED(412, "FERRY-RELAY-0507", "precondition-failed",
      "The customer changed since the version the request expected", false),
  INVALID_AGENT_RESULT(502, "FERRY-RELAY-0508", "invalid-agent-result",
      "The agent reported a result that breaks the customer model", false),
  /** What the agent hears for such a result: 422, so it records the result as refused and does not resend it. */
  RESULT_BREAKS_MODEL(422, "FERRY-RELAY-0509", "result-breaks-model",
      "The result breaks the customer model; the job ended FAILED", false),
  OUTCOME_UNKNOWN(502, "FERRY-RELAY-0510", "outcome-unknown",
      "SAP may have done it, but its answer was lost", false),
  SAP_CONFIGURATION(422, "FERRY-RELAY-0511", "sap-configuration",
      "The agent's configuration lacks a setting this request needs", false),

  MALFORMED_CSV(400, "FERRY-RELAY-0130", "malformed-csv", "The body is not valid CSV", false),
  INVALID_BATCH(422, "FERRY-RELAY-0131", "invalid-batch", "The batch cannot be accepted", false),
  INVALID_MAPPING(422, "FERRY-RELAY-0132", "invalid-mapping", "The field mapping is not valid", false),
  BATCH_NOT_FOUND(404, "FERRY-RELAY-0330", "batch-not-found", "No such batch", false),

  /** The change feed's cursor points before what relay.changes-retention deleted: start again without one. */
  CHANGES_CURSOR_EXPIRED(410, "FERRY-RELAY-0140", "changes-cursor-expired",
      "The cursor points before changes the relay no longer keeps", false),

  INTERNAL(500, "FERRY-RELAY-0900", "internal-error", "Internal error", false),
  STORE_UNAVAILABLE(503, "FERRY-RELAY-0901", "store-unavailable", "The relay's store is unavailable", true),
  NOT_READY(503, "FERRY-RELAY-0902", "not-ready", "The relay is not ready", true);

  private static final String TYPE_BASE = "https://ferry.dev/problems/";

  final int status;
  final String code;
  final URI type;
  final String title;
  final boolean retryable;

  ProblemType(int status, String code, String slug, String title, boolean retryable) {
    this.status = status;
    this.code = code;
    this.type = URI.create(TYPE_BASE + slug);
    this.title = title;
    this.retryable = retryable;
  }
}
