package io.ferry.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Protocol;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete HTTP answer, made before it is sent. Handlers and the async paths build answers; only
 * {@link #send(Context)} touches the response, so a late answer from another thread is written the
 * same way as an immediate one. A problem answer carries its code, which the access log prints.
 */
record Answer(int status, Map<String, String> headers, String contentType, byte[] body, String problemCode) {

  Answer(int status, Map<String, String> headers, String contentType, byte[] body) {
    this(status, headers, contentType, body, null);
  }

  static final String JSON = "application/json";
  private static final ObjectMapper MAPPER = Protocol.json();

  static Answer json(int status, Object value) {
    return body(status, JSON, value);
  }

  static Answer body(int status, String contentType, Object value) {
    try {
      return new Answer(status, new LinkedHashMap<>(), contentType, MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise " + value.getClass().getSimpleName(), e);
    }
  }

  static Answer empty(int status) {
    return new Answer(status, new LinkedHashMap<>(), null, null);
  }

  Answer header(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Answer(status, copy, contentType, body, problemCode);
  }

  /** This answer as the problem {@code code} (FERRY-RELAY-0201, or an agent's FERRY-SAP-0001). */
  Answer problem(String code) {
    return new Answer(status, headers, contentType, body, code);
  }

  void send(Context ctx) {
    if (problemCode != null) {
      ctx.attribute(AccessLog.PROBLEM_CODE, problemCode);
    }
    ctx.status(status);
    headers.forEach(ctx::header);
    if (body != null) {
      ctx.contentType(contentType);
      ctx.result(body);
    } else {
      ctx.result(new byte[0]);
    }
  }
}
