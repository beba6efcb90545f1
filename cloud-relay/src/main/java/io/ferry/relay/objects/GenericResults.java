package io.ferry.relay.objects;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The check of what an agent answers a generic job: only its shape, as the relay renders it. The values are SAP's,
 * checked by no model of Ferry's; a shape the relay could not render is refused like a broken curated result
 * ({@code invalid-agent-result}) instead of failing every later read of the operation.
 */
final class GenericResults {

  private GenericResults() {}

  /** A {@link io.ferry.protocol.Catalog}: lists of objects, each function with a name. */
  static List<FieldError> catalog(JsonNode output) {
    List<FieldError> errors = new ArrayList<>();
    arrayOfObjects(output, "functions", errors);
    arrayOfObjects(output, "odata", errors);
    JsonNode functions = output.path("functions");
    for (int i = 0; i < functions.size(); i++) {
      if (!functions.get(i).path("name").isTextual()) {
        errors.add(new FieldError("functions[" + i + "].name", "must be the function's name"));
      }
    }
    return errors;
  }

  /**
   * A {@link io.ferry.protocol.function.FunctionInterface} (it has {@code request}) or a
   * {@link io.ferry.protocol.function.FunctionAnswer}: the members present are objects, messages an array.
   */
  static List<FieldError> function(JsonNode output) {
    List<FieldError> errors = new ArrayList<>();
    for (String member : List.of("exporting", "changing", "tables", "request", "response")) {
      JsonNode v = output.get(member);
      if (v != null && !v.isNull() && !v.isObject()) {
        errors.add(new FieldError(member, "must be an object"));
      }
    }
    arrayOfObjects(output, "messages", errors);
    return errors;
  }

  /** An {@link io.ferry.protocol.odata.ODataAnswer}: a status of 2xx, links as text. */
  static List<FieldError> odata(JsonNode output) {
    List<FieldError> errors = new ArrayList<>();
    int status = output.path("status").asInt(0);
    if (status < 200 || status > 299) {
      errors.add(new FieldError("status", "must be Gateway's 2xx status of a success, was " + output.get("status")));
    }
    for (String member : List.of("text", "contentType", "etag", "location", "nextLink")) {
      JsonNode v = output.get(member);
      if (v != null && !v.isNull() && !v.isTextual()) {
        errors.add(new FieldError(member, "must be text"));
      }
    }
    return errors;
  }

  private static void arrayOfObjects(JsonNode output, String member, List<FieldError> errors) {
    JsonNode v = output.get(member);
    if (v == null || v.isNull()) {
      return;
    }
    if (!v.isArray()) {
      errors.add(new FieldError(member, "must be an array"));
      return;
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isObject()) {
        errors.add(new FieldError(member + "[" + i + "]", "must be an object"));
      }
    }
  }
}
