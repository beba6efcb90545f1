package io.ferry.relay.http;

import io.ferry.relay.store.Ulid;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * A request id on every answer ({@code X-Request-Id}): the caller's when it sent a sane one, else a
 * new one. Problems for unexpected failures quote it, and the log line carries it.
 */
final class RequestIds {

  static final String HEADER = "X-Request-Id";
  private static final String ATTRIBUTE = "ferry.requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private RequestIds() {}

  static void assign(Context ctx) {
    String incoming = ctx.header(HEADER);
    String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : Ulid.next();
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
  }

  static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    return id != null ? id : "-";
  }
}
