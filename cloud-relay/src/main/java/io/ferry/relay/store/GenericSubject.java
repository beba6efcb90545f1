package io.ferry.relay.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Action;
import io.ferry.protocol.Protocol;

/**
 * What the audit log names of a generic job (issue 17): the function module, or the OData method, service and resource
 * path. Never a parameter value, a query option or a body: those are the caller's data, and the audit log keeps who
 * did what, not with what.
 */
final class GenericSubject {

  /** The longest resource path the log keeps; the rest is cut (the detail itself is bounded too). */
  private static final int MAX_PATH = 200;

  private GenericSubject() {}

  /** {@code " RFC_READ_TABLE"}, {@code " PATCH API_BUSINESS_PARTNER/A_BusinessPartner('1')"}; empty for other jobs. */
  static String of(Action action, String requestJson) {
    if (!action.isGeneric() || action == Action.CATALOG_READ || requestJson == null) {
      return "";
    }
    try {
      JsonNode payload = Protocol.json().readTree(requestJson).path("payload");
      if (action == Action.FUNCTION_CALL || action == Action.FUNCTION_DESCRIBE) {
        return " " + payload.path("function").asText("?");
      }
      String path = payload.path("path").asText("");
      if (path.length() > MAX_PATH) {
        path = path.substring(0, MAX_PATH) + "…";
      }
      return " " + payload.path("method").asText("GET") + " " + payload.path("service").asText("?") + "/" + path
          + (payload.path("schema").asBoolean(false) ? " (schema)" : "");
    } catch (java.io.IOException e) {
      return " (request not readable)";
    }
  }

  /** The end of a generic job's {@code job.ended} detail: what it called and for which key; empty for other jobs. */
  static String ended(Action action, String requestJson, String apiKeyId) {
    if (!action.isGeneric()) {
      return "";
    }
    return "; " + action.wireName() + of(action, requestJson) + (apiKeyId == null ? "" : " for key " + apiKeyId);
  }
}
