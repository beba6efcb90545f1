package io.ferry.relay.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The engine API's OpenAPI 3.1 description, assembled from maintained JSON files in
 * {@code src/main/resources/io/ferry/relay/openapi/}: {@code openapi.json} (customers, operations, batches and
 * what every object shares: problems, headers, security) and one fragment per further business object
 * ({@link #FRAGMENTS}), each adding its tags, paths, webhooks and components. The relay serves it at
 * {@code /openapi.json} with itself as the server; {@code ferry connector export} derives the Power
 * Automate (Swagger 2.0) definition from it. A test compares it with the routes the relay registers.
 */
public final class OpenApiDocument {

  private static final String RESOURCE = "openapi.json";
  /** One per business object after customers: its tags, paths and components (schemas, responses, parameters). */
  static final java.util.List<String> FRAGMENTS = java.util.List.of("salesorders.json", "functions.json", "odata.json",
      "changes.json");
  private static final ObjectMapper JSON = Protocol.json().copy().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectNode DOCUMENT = load();

  private OpenApiDocument() {}

  /** A fresh copy of the document, without servers. */
  public static ObjectNode template() {
    return DOCUMENT.deepCopy();
  }

  /** The document as served: {@code servers} names {@code baseUrl}, the address the caller reached. */
  public static byte[] forServer(String baseUrl) {
    ObjectNode doc = template();
    doc.putArray("servers").addObject().put("url", baseUrl).put("description", "This relay");
    try {
      return JSON.writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the OpenAPI document always serialises", e);
    }
  }

  private static ObjectNode load() {
    ObjectNode document = read(RESOURCE);
    for (String fragment : FRAGMENTS) {
      merge(document, read(fragment), fragment);
    }
    return document;
  }

  /**
   * Adds a fragment's tags, paths, webhooks (the requests the relay sends, OpenAPI 3.1) and components; a name the
   * document has already is a mistake in the files.
   */
  private static void merge(ObjectNode document, ObjectNode fragment, String name) {
    fragment.path("tags").forEach(tag -> document.withArray("tags").add(tag));
    addAll(document.with("paths"), fragment.path("paths"), name);
    if (fragment.has("webhooks")) {
      addAll(document.with("webhooks"), fragment.get("webhooks"), name);
    }
    fragment.path("components").fields().forEachRemaining(kind ->
        addAll(document.with("components").with(kind.getKey()), kind.getValue(), name));
  }

  private static void addAll(ObjectNode into, com.fasterxml.jackson.databind.JsonNode from, String name) {
    from.fields().forEachRemaining(e -> {
      if (into.has(e.getKey())) {
        throw new IllegalStateException(name + " defines " + e.getKey() + ", which the document has already");
      }
      into.set(e.getKey(), e.getValue());
    });
  }

  private static ObjectNode read(String resource) {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the relay's jar");
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + resource, e);
    }
  }
}
