package io.ferry.cli.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Derives Power Automate's Swagger 2.0 definition from the relay's OpenAPI 3.1 document, so the two
 * cannot disagree. What 2.0 cannot say is left out or folded: callbacks and the unauthenticated
 * description route are dropped, {@code requestBody} becomes a body parameter, shared parameters,
 * responses and headers are written inline, nullable types become their non-null type, a {@code oneOf}
 * (the operation URL answers a customer or a page) becomes its first alternative, and only the API key
 * remains as security (Power Automate uses just the first definition). An operation's {@code x-ferry-connector} object
 * turns it into a trigger (its connector name, {@code x-ms-trigger}, {@code x-ms-notification-content}); the 3.1
 * top-level {@code webhooks} have no place in 2.0 and stay out. {@code x-ms-pageable} is kept, and so are
 * the lookups of the dynamic operations: {@code x-ms-dynamic-values}/{@code -list} on parameters (the function, the
 * OData service and entity set picked from a list) and {@code x-ms-dynamic-schema}/{@code -properties} on bodies
 * and responses (their fields read from the relay), which replace the static schema beside them.
 */
final class SwaggerExport {

  static final String API_KEY = "api_key";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
  /** Schema keywords 2.0 knows; anything else (3.1's examples, const, …) is left out. */
  private static final Set<String> SCHEMA_KEYS = Set.of("type", "format", "description", "x-ms-summary",
      "x-ms-visibility", "maxLength", "minLength", "pattern", "enum", "required", "items", "properties",
      "additionalProperties", "minProperties", "maxProperties", "minimum", "maximum", "default", "readOnly",
      "minItems", "maxItems", "uniqueItems", "x-ms-notification-url");
  /**
   * An operation's {@code x-ferry-connector}: {@code false} leaves it out of the connector; an object gives what the
   * connector shows instead of the API's own names (a trigger: "When a customer is …" rather than "Subscribe to …")
   * and the trigger's extensions, which mean nothing to the API's other readers.
   */
  private static final String CONNECTOR = "x-ferry-connector";
  private static final Set<String> CONNECTOR_KEYS = Set.of("operationId", "summary", "description", "x-ms-visibility",
      "x-ms-trigger", "x-ms-trigger-hint");
  /** The payload a webhook trigger's callback receives: the flow's dynamic content. */
  private static final String NOTIFICATION_CONTENT = "x-ms-notification-content";
  private static final Set<String> PARAM_KEYS = Set.of("name", "in", "required", "description", "x-ms-summary",
      "x-ms-visibility", "x-ms-url-encoding", "x-ms-dynamic-values", "x-ms-dynamic-list");
  /** A schema the flow designer asks the connector for (the chosen function's parameters, an entity set's fields). */
  private static final String DYNAMIC_SCHEMA = "x-ms-dynamic-schema";
  private static final String DYNAMIC_PROPERTIES = "x-ms-dynamic-properties";

  private final ObjectNode openApi;

  SwaggerExport(ObjectNode openApi) {
    this.openApi = openApi;
  }

  ObjectNode toSwagger(ConnectorHost host, String website, String privacyPolicy) {
    ObjectNode out = F.objectNode();
    out.put("swagger", "2.0");
    out.set("info", info(website, privacyPolicy));
    out.put("host", host.host());
    out.put("basePath", host.basePath());
    out.putArray("schemes").add(host.scheme());
    out.putArray("consumes").add("application/json");
    out.putArray("produces").add("application/json").add("application/problem+json");
    ObjectNode paths = out.putObject("paths");
    openApi.get("paths").fields().forEachRemaining(e -> {
      ObjectNode item = path(e.getValue());
      if (!item.isEmpty()) {
        paths.set(e.getKey(), item);
      }
    });
    out.set("definitions", definitions(paths));
    ObjectNode security = out.putObject("securityDefinitions").putObject(API_KEY);
    security.put("type", "apiKey");
    security.put("in", "header");
    security.put("name", openApi.at("/components/securitySchemes/apiKey/name").asText());
    // Which scopes the key needs for which actions: 2.0's apiKey has no scopes, its description can name them.
    JsonNode scopes = openApi.at("/components/securitySchemes/apiKey/description");
    if (scopes.isTextual()) {
      security.set("description", scopes.deepCopy());
    }
    out.putArray("security").addObject().putArray(API_KEY);
    out.set("tags", openApi.get("tags").deepCopy());
    ObjectNode test = out.putObject("x-ms-capabilities").putObject("testConnection");
    test.put("operationId", "TestConnection");
    test.putObject("parameters");
    out.set("x-ms-connector-metadata", ((ObjectNode) out.get("info")).remove("x-ms-connector-metadata"));
    return out;
  }

  private ObjectNode info(String website, String privacyPolicy) {
    ObjectNode info = F.objectNode();
    JsonNode source = openApi.get("info");
    info.set("title", source.get("title"));
    info.set("description", source.get("description"));
    info.set("version", source.get("version"));
    info.set("contact", source.get("contact").deepCopy());
    ((ObjectNode) info.get("contact")).put("url", website);
    // 2.0's license has a name and a url; 3.1's SPDX identifier has no place there.
    ObjectNode license = info.putObject("license");
    license.set("name", source.at("/license/name"));
    if (source.at("/license/url").isTextual()) {
      license.set("url", source.at("/license/url"));
    }
    ArrayNode metadata = info.putArray("x-ms-connector-metadata");
    for (JsonNode m : source.get("x-ms-connector-metadata")) {
      ObjectNode copy = m.deepCopy();
      switch (m.get("propertyName").asText()) {
        case "Website" -> copy.put("propertyValue", website);
        case "Privacy policy" -> copy.put("propertyValue", privacyPolicy);
        default -> { }
      }
      metadata.add(copy);
    }
    return info;
  }

  private ObjectNode path(JsonNode item) {
    ObjectNode out = F.objectNode();
    JsonNode shared = item.get("parameters");
    for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode op = e.getValue();
      if (!METHODS.contains(e.getKey()) || op.path(CONNECTOR).isBoolean() && !op.get(CONNECTOR).asBoolean()) {
        continue;
      }
      out.set(e.getKey(), operation(op, shared));
    }
    return out;
  }

  private ObjectNode operation(JsonNode op, JsonNode shared) {
    ObjectNode out = F.objectNode();
    for (String k : new String[] {"operationId", "summary", "description", "tags", "x-ms-visibility", "x-ms-pageable"}) {
      if (op.has(k)) {
        out.set(k, op.get(k).deepCopy());
      }
    }
    ArrayNode params = out.putArray("parameters");
    if (shared != null) {
      shared.forEach(p -> params.add(parameter(resolve(p))));
    }
    if (op.has("parameters")) {
      op.get("parameters").forEach(p -> params.add(parameter(resolve(p))));
    }
    JsonNode body = op.get("requestBody");
    if (body != null) {
      ArrayNode consumes = out.putArray("consumes");
      // Power Automate sends the first type; plain JSON is what every engine sends too.
      if (body.get("content").has("application/json")) {
        consumes.add("application/json");
      }
      body.get("content").fieldNames().forEachRemaining(t -> {
        if (!t.equals("application/json")) {
          consumes.add(t);
        }
      });
      JsonNode media = body.get("content").elements().next();
      ObjectNode p = params.addObject();
      p.put("name", "body");
      p.put("in", "body");
      p.put("required", body.path("required").asBoolean(false));
      p.set("description", body.get("description"));
      p.set("x-ms-summary", body.get("x-ms-summary"));
      p.set("x-ms-visibility", body.get("x-ms-visibility"));
      p.set("schema", schema(media.get("schema")));
    }
    if (params.isEmpty()) {
      out.remove("parameters");
    }
    ObjectNode responses = out.putObject("responses");
    op.get("responses").fields().forEachRemaining(e -> responses.set(e.getKey(), response(resolve(e.getValue()))));
    JsonNode connector = op.path(CONNECTOR);
    if (connector.isObject()) {
      for (String k : CONNECTOR_KEYS) {
        if (connector.has(k)) {
          out.set(k, connector.get(k).deepCopy());
        }
      }
      // On the operation, as the extension reference places it (Microsoft's sample has it beside the operation).
      JsonNode content = connector.get(NOTIFICATION_CONTENT);
      if (content != null) {
        ObjectNode converted = out.putObject(NOTIFICATION_CONTENT);
        converted.set("description", content.get("description").deepCopy());
        converted.set("schema", schema(content.get("schema")));
      }
    }
    return out;
  }

  private ObjectNode parameter(JsonNode p) {
    ObjectNode out = F.objectNode();
    for (String k : PARAM_KEYS) {
      if (p.has(k)) {
        out.set(k, p.get(k).deepCopy());
      }
    }
    ObjectNode s = schema(p.get("schema"));
    s.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
    return out;
  }

  private ObjectNode response(JsonNode r) {
    ObjectNode out = F.objectNode();
    out.set("description", r.get("description"));
    JsonNode content = r.get("content");
    if (content != null && content.size() > 0) {
      out.set("schema", schema(content.elements().next().get("schema")));
    }
    JsonNode headers = r.get("headers");
    if (headers != null) {
      ObjectNode h = out.putObject("headers");
      headers.fields().forEachRemaining(e -> {
        JsonNode header = resolve(e.getValue());
        ObjectNode converted = schema(header.get("schema"));
        converted.set("description", header.get("description"));
        h.set(e.getKey(), converted);
      });
    }
    return out;
  }

  /** A 3.1 schema as 2.0 writes it: refs into definitions, one type, 2.0 keywords only. */
  private ObjectNode schema(JsonNode s) {
    ObjectNode out = F.objectNode();
    if (s.has(DYNAMIC_SCHEMA)) {
      return dynamic(s);
    }
    if (s.has("$ref")) {
      out.put("$ref", s.get("$ref").asText().replace("#/components/schemas/", "#/definitions/"));
      return out;
    }
    if (s.has("oneOf")) {
      // 2.0 has no oneOf: the first alternative is what a flow designer shows.
      return schema(s.get("oneOf").get(0));
    }
    s.fields().forEachRemaining(e -> {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (k.equals("type") && v.isArray()) {
        for (JsonNode t : v) {
          if (!t.asText().equals("null")) {
            out.put("type", t.asText());
            break;
          }
        }
      } else if (k.equals("examples") && v.isArray() && !v.isEmpty()) {
        out.set("example", v.get(0).deepCopy());
      } else if (k.equals("properties")) {
        ObjectNode props = out.putObject("properties");
        v.fields().forEachRemaining(p -> props.set(p.getKey(), schema(p.getValue())));
      } else if (k.equals("items")) {
        out.set("items", schema(v));
      } else if (SCHEMA_KEYS.contains(k)) {
        out.set(k, v.deepCopy());
      }
    });
    return out;
  }

  /**
   * A schema the designer reads from another operation: an object with the lookup only. The static schema beside
   * it (a $ref in 3.1, which generators read) is left out, or its members would show as fields next to the looked-up
   * ones; its label and description stay.
   */
  private ObjectNode dynamic(JsonNode s) {
    JsonNode named = s.has("$ref") ? resolve(s) : s;
    ObjectNode out = F.objectNode();
    out.put("type", "object");
    for (String k : new String[] {"x-ms-summary", "description"}) {
      JsonNode v = s.has(k) ? s.get(k) : named.get(k);
      if (v != null) {
        out.set(k, v.deepCopy());
      }
    }
    out.set(DYNAMIC_SCHEMA, s.get(DYNAMIC_SCHEMA).deepCopy());
    if (s.has(DYNAMIC_PROPERTIES)) {
      out.set(DYNAMIC_PROPERTIES, s.get(DYNAMIC_PROPERTIES).deepCopy());
    }
    return out;
  }

  private JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    while (current.has("$ref")) {
      current = openApi.at(current.get("$ref").asText().substring(1));
    }
    return current;
  }

  /** The schemas the paths reach, and what those reach, converted; nothing unused. */
  private ObjectNode definitions(ObjectNode paths) {
    Set<String> names = new LinkedHashSet<>();
    Deque<JsonNode> todo = new ArrayDeque<>();
    todo.add(paths);
    ObjectNode out = F.objectNode();
    while (!todo.isEmpty()) {
      JsonNode n = todo.pop();
      if (n.isObject() && n.has("$ref")) {
        String name = n.get("$ref").asText().replace("#/definitions/", "");
        if (names.add(name)) {
          ObjectNode converted = schema(openApi.at("/components/schemas/" + name));
          out.set(name, converted);
          todo.add(converted);
        }
      } else {
        n.elements().forEachRemaining(todo::add);
      }
    }
    return out;
  }
}
