package io.ferry.relay.http;

import io.ferry.protocol.Problem.FieldError;
import io.javalin.http.Context;
import java.util.Enumeration;
import java.util.List;

/**
 * Headers that decide who is calling or what a write means (credentials, Idempotency-Key, If-Match) are
 * taken from exactly one field line. Sent twice they are ambiguous — a proxy, a client library and the
 * relay may each pick another one — so they are refused instead of taking the first.
 */
final class SingleHeaders {

  private SingleHeaders() {}

  /** The header's value, or null when absent; 400 when the request repeats it. */
  static String value(Context ctx, String name) {
    Enumeration<String> values = ctx.req().getHeaders(name);
    if (values == null || !values.hasMoreElements()) {
      return null;
    }
    String first = values.nextElement();
    if (values.hasMoreElements()) {
      throw ambiguous(name, "is sent more than once; send it once");
    }
    return first;
  }

  /** 400 ambiguous-header: {@code why} says what is wrong with {@code header} ("is sent more than once"). */
  static ProblemException ambiguous(String header, String why) {
    return new ProblemException(ProblemType.AMBIGUOUS_HEADER, header + " " + why)
        .errors(List.of(new FieldError(header, why)));
  }
}
