package io.ferry.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Catalog;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.odata.ODataAnswer;
import io.ferry.relay.dispatch.JobRequest;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.StoreException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The answer of a generic job that SUCCEEDED (catalog, function module, OData resource), from what the agent sent and
 * the {@link JobRequest.View} the route kept with the request: so the synchronous answer, {@code GET
 * /v1/operations/{id}} and the callback say the same. Links into an OData service become absolute links of this relay
 * ({@code /v1/odata/{service}/…}); SAP's host never reaches an engine, as the agent never sends it.
 */
final class GenericAnswers {

  static final String FUNCTIONS = "functions";
  static final String ODATA = "odata";
  static final String ODATA_PATH = "/v1/odata/";
  /** A link with a scheme is not a path below the service root: it is dropped rather than passed on. */
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
  private static final ObjectMapper JSON = Protocol.json();

  private GenericAnswers() {}

  static Answer succeeded(Job job, JsonNode output, String baseUrl) {
    return render(job.action(), output, JobRequest.fromJson(job.requestJson()), baseUrl);
  }

  /** The answer to {@code request} when the agent answered {@code output}: a job's, or one the relay kept. */
  static Answer render(io.ferry.protocol.Action action, JsonNode output, JobRequest request, String baseUrl) {
    return switch (action) {
      case CATALOG_READ -> Answer.json(200, catalog(read(output, Catalog.class), request.view()));
      case FUNCTION_DESCRIBE -> Answer.json(200, functionInterface(output));
      case FUNCTION_CALL -> Answer.json(200, functionAnswer(output));
      case ODATA_READ, ODATA_WRITE -> odata(read(output, ODataAnswer.class),
          request.payload() == null ? "" : request.payload().path("service").asText(""), baseUrl);
      default -> throw new IllegalArgumentException(action.wireName() + " is no generic action");
    };
  }

  /**
   * The catalog as a route lists it: {@code functions} for {@code GET /v1/functions}, {@code resources} for {@code GET
   * /v1/odata} (both when no route is named), each cut to the names the caller's key is restricted to.
   */
  static ObjectNode catalog(Catalog catalog, JobRequest.View view) {
    String shape = view == null ? null : view.shape();
    List<String> within = view == null ? null : view.within();
    ObjectNode out = JSON.createObjectNode();
    if (shape == null || shape.equals(FUNCTIONS)) {
      ArrayNode functions = out.putArray(FUNCTIONS);
      for (Catalog.Function f : catalog.functions()) {
        if (f.name() != null && (within == null || within.contains(f.name()))) {
          ObjectNode o = functions.addObject();
          o.put("name", f.name());
          if (f.description() != null) {
            o.put("description", f.description());
          }
          o.put("repeatable", f.repeatable());
        }
      }
    }
    if (shape == null || shape.equals(ODATA)) {
      ArrayNode resources = out.putArray("resources");
      for (Catalog.ODataResource r : catalog.odata()) {
        if (r.service() != null && (within == null || within.contains(r.service()))) {
          ObjectNode o = resources.addObject();
          o.put("service", r.service());
          o.put("entitySet", r.entitySet());
          ArrayNode methods = o.putArray("methods");
          r.methods().forEach(methods::add);
        }
      }
    }
    return out;
  }

  /** The interface as engines read it: without the agent's fingerprint, which is the relay's business. */
  private static ObjectNode functionInterface(JsonNode output) {
    ObjectNode out = ((ObjectNode) output).deepCopy();
    out.remove("fingerprint");
    out.put("repeatable", output.path("repeatable").asBoolean(false));
    return out;
  }

  /** Every member present, empty when SAP had nothing for it: a flow reads {@code tables.X} without a check. */
  private static ObjectNode functionAnswer(JsonNode output) {
    ObjectNode out = JSON.createObjectNode();
    for (String member : List.of("exporting", "changing", "tables")) {
      JsonNode v = output.get(member);
      out.set(member, v != null && v.isObject() ? v : JSON.createObjectNode());
    }
    JsonNode messages = output.get("messages");
    out.set("messages", messages != null && messages.isArray() ? messages : JSON.createArrayNode());
    return out;
  }

  private static Answer odata(ODataAnswer a, String service, String baseUrl) {
    String root = baseUrl + ODATA_PATH + service + "/";
    Answer answer;
    if (a.text() != null) {
      answer = new Answer(a.status(), new java.util.LinkedHashMap<>(),
          a.contentType() == null ? "application/xml" : a.contentType(),
          a.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } else if (a.body() != null && !a.body().isNull()) {
      JsonNode body = a.body();
      String next = link(root, a.nextLink());
      if (next != null && body.isObject()) {
        body = ((ObjectNode) body).deepCopy().put("nextLink", next);
      }
      answer = Answer.json(a.status(), body);
    } else {
      answer = Answer.empty(a.status());
    }
    if (a.etag() != null && !a.etag().isBlank()) {
      answer = answer.header("ETag", a.etag());
    }
    String location = link(root, a.location());
    if (location != null) {
      answer = answer.header("Location", location);
    }
    return answer;
  }

  /** {@code root} + the path below the service root, or null for none or a link that is not such a path. */
  private static String link(String root, String relative) {
    if (relative == null || relative.isBlank()) {
      return null;
    }
    String path = relative.strip();
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    return SCHEME.matcher(path).find() || path.contains("..") ? null : root + path;
  }

  private static <T> T read(JsonNode output, Class<T> type) {
    try {
      return JSON.treeToValue(output, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored job result is not readable: " + e.getOriginalMessage(), e);
    }
  }
}
