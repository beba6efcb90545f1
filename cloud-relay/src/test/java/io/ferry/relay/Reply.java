package io.ferry.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import okhttp3.Headers;

/** An HTTP answer as a test sees it. */
record Reply(int status, Headers headers, String body) {

  String header(String name) {
    return headers.get(name);
  }

  JsonNode json() {
    try {
      return Protocol.json().readTree(body);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON (" + status + "): " + body, e);
    }
  }

  <T> T as(Class<T> type) {
    try {
      return Protocol.json().readValue(body, type);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not a " + type.getSimpleName() + " (" + status + "): " + body, e);
    }
  }

  Problem problem() {
    if (!String.valueOf(header("Content-Type")).startsWith(Problem.MEDIA_TYPE)) {
      throw new AssertionError("not a problem (" + status + ", " + header("Content-Type") + "): " + body);
    }
    return as(Problem.class);
  }

  @Override
  public String toString() {
    return status + " " + body;
  }
}
