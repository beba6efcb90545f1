package io.ferry.relay.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.CustomerETag;
import io.ferry.protocol.Problem.FieldError;
import io.javalin.http.Context;
import java.util.List;

/**
 * The precondition of an update: the {@code If-Match} header, or the {@code expectedVersion} body field
 * for engines that cannot send {@code If-Match} (AWS Step Functions' HTTP Task refuses it). Both mean
 * the same; sent together they must agree. If-Match is optional (no 428): an engine that does not care
 * about concurrent changes should not have to read before it writes.
 */
final class Preconditions {

  static final String IF_MATCH = "If-Match";
  static final String EXPECTED_VERSION = "expectedVersion";

  private Preconditions() {}

  /**
   * Removes {@code expectedVersion} from the merge patch (it is not a customer field) and returns the
   * effective If-Match value, or null when the request has no precondition.
   */
  static String take(Context ctx, JsonNode patch) {
    // Sent twice, a retry carrying only one of them would be another request: refused (400).
    String header = SingleHeaders.value(ctx, IF_MATCH);
    if (header != null) {
      header = header.trim();
      if (!CustomerETag.isValidIfMatch(header)) {
        throw new ProblemException(ProblemType.INVALID_PARAMETER,
            "If-Match must be * or the ETag from a previous answer, in quotes, such as \"3f2a…\"; was " + header)
            .errors(List.of(new FieldError(IF_MATCH, "must be * or a quoted entity tag")));
      }
    }
    String body = null;
    if (patch instanceof ObjectNode object && object.has(EXPECTED_VERSION)) {
      JsonNode v = object.remove(EXPECTED_VERSION);
      body = v.isTextual() ? quoted(v.asText().trim()) : null;
      if (body == null || !CustomerETag.isValidIfMatch(body)) {
        throw new ProblemException(ProblemType.INVALID_FIELDS,
            "expectedVersion must be the customer's ETag as a string, with or without its quotes")
            .errors(List.of(new FieldError(EXPECTED_VERSION, "must be the ETag of the customer as a string")));
      }
    }
    if (header != null && body != null && !header.equals(body)) {
      throw new ProblemException(ProblemType.INVALID_PARAMETER,
          "If-Match (" + header + ") and expectedVersion (" + body + ") differ; send one of them")
          .errors(List.of(new FieldError(IF_MATCH, "differs from expectedVersion"),
              new FieldError(EXPECTED_VERSION, "differs from If-Match")));
    }
    return header != null ? header : body;
  }

  /** The ETag as sent in JSON, where quotes are awkward: a bare tag gets its quotes back. */
  private static String quoted(String v) {
    if (v.isEmpty() || v.equals("*") || v.startsWith("\"") || v.startsWith("W/")) {
      return v;
    }
    return "\"" + v + "\"";
  }
}
