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
 * The engine API's OpenAPI 3.1 description: one maintained JSON file,
 * {@code src/main/resources/io/ferry/relay/openapi/openapi.json}. The relay serves it at
 * {@code /openapi.json} with itself as the server; {@code ferry connector export} derives the Power
 * Automate (Swagger 2.0) definition from it. A test compares it with the routes the relay registers.
 */
public final class OpenApiDocument {

  private static final String RESOURCE = "openapi.json";
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
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the relay's jar");
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + RESOURCE, e);
    }
  }
}
