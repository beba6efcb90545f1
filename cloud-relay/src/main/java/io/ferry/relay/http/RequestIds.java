package io.ferry.relay.http;

import io.ferry.relay.store.Ulid;
import io.ferry.relay.trace.TraceMdc;
import io.javalin.http.Context;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * A request id on every answer ({@code X-Request-Id}): the caller's when it sent a sane one, else a
 * new one. Problems for unexpected failures quote it, and every log line the request causes carries it
 * ({@code request_id} in the MDC).
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
    MDC.put(TraceMdc.REQUEST_ID, id);
  }

  /**
   * Clears the request's MDC when it is answered, but only on a thread that still holds this request's: a
   * held answer is completed on the thread of whatever ended the wait (an agent's result), and clearing
   * there would strip that request's lines of their ids.
   */
  static void leave(Context ctx) {
    if (of(ctx).equals(MDC.get(TraceMdc.REQUEST_ID))) {
      TraceMdc.clear();
    }
  }

  /** This request's id and span in the MDC until the scope closes, on whichever thread runs it. */
  static TraceMdc.Scope mdc(Context ctx) {
    return TraceMdc.request(of(ctx), Traceparent.span(ctx));
  }

  static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    return id != null ? id : "-";
  }
}
