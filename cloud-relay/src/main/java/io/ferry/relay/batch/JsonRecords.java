package io.ferry.relay.batch;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a JSON array one element at a time with Jackson's streaming parser: only the element being read
 * is a tree in memory, never the array. Malformed JSON is a {@link BatchRefused.Kind#MALFORMED_JSON} with
 * its line and column; a body that is not an array is {@link BatchRefused.Kind#INVALID_BATCH}.
 */
final class JsonRecords implements AutoCloseable {

  private static final ObjectMapper JSON = Protocol.json();
  /** Reads one element: what follows it is the rest of the array, not trailing content (checked at its end). */
  private static final ObjectReader ELEMENT = JSON.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final JsonParser parser;
  private boolean ended;

  JsonRecords(InputStream body) throws IOException {
    this.parser = JSON.createParser(body);
    // The caller owns the body: it reads the rest (for the fingerprint) after the array.
    parser.configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false);
    JsonToken first = token();
    if (first == null) {
      throw new BatchRefused(BatchRefused.Kind.MALFORMED_JSON, "the body is empty; send a JSON array of customers");
    }
    if (first != JsonToken.START_ARRAY) {
      throw new BatchRefused(BatchRefused.Kind.INVALID_BATCH, "the body must be a JSON array of customer objects "
          + "([{…},{…}]), or CSV with Content-Type text/csv; it starts with " + describe(first));
    }
  }

  /** The next element (an object, or whatever else the array holds), or null after the last. */
  JsonNode next() throws IOException {
    if (ended) {
      return null;
    }
    JsonToken t = token();
    if (t == JsonToken.END_ARRAY) {
      ended = true;
      JsonToken after;
      try {
        after = parser.nextToken();
      } catch (JsonProcessingException e) {
        throw malformed(Protocol.TRAILING_CONTENT, e.getLocation());
      }
      if (after != null) {
        throw malformed(Protocol.TRAILING_CONTENT + " (" + describe(after) + ")", parser.currentLocation());
      }
      return null;
    }
    if (t == null) {
      throw malformed("the array is not closed", parser.currentLocation());
    }
    try {
      return ELEMENT.readTree(parser);
    } catch (JsonProcessingException e) {
      throw malformed(Protocol.jsonError(e), e.getLocation());
    }
  }

  private JsonToken token() throws IOException {
    try {
      return parser.nextToken();
    } catch (JsonProcessingException e) {
      throw malformed(Protocol.jsonError(e), e.getLocation());
    }
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
    };
  }

  private static BatchRefused malformed(String what, JsonLocation at) {
    String where = at == null || at.getLineNr() < 0 ? ""
        : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    return new BatchRefused(BatchRefused.Kind.MALFORMED_JSON, "the body is not valid JSON: " + what + where);
  }
}
