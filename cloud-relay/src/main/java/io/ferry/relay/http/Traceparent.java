package io.ferry.relay.http;

import io.ferry.protocol.TraceParent;
import io.ferry.relay.trace.TraceMdc;
import io.javalin.http.Context;

/**
 * W3C trace context on every request. The relay is one span of the caller's trace: a child of the
 * request's valid {@code traceparent}, or the root of a new trace when there is none (or it is invalid,
 * as the spec asks). That span goes into the log MDC, is stored with a job the request queues (so the
 * agent's work is its child) and is named in the answer's {@code traceresponse} header.
 *
 * <p>Why {@code traceresponse} and not an echoed {@code traceparent}: {@code traceparent} is a request
 * header that names the caller's parent span; answering with it would claim the engine's span as ours.
 * The {@code traceresponse} header of the W3C Trace Context response draft has the same format and names
 * the server's span (and its trace id, which differs from the request's when the relay started a trace),
 * so a caller that did not send one still learns the trace id to search the logs for.
 */
final class Traceparent {

  static final String HEADER = TraceParent.HEADER;
  static final String RESPONSE_HEADER = "traceresponse";
  private static final String ATTRIBUTE = "ferry.trace";

  private Traceparent() {}

  static void assign(Context ctx) {
    TraceParent span = TraceParent.parse(ctx.header(HEADER)).map(TraceParent::child).orElseGet(TraceParent::random);
    ctx.attribute(ATTRIBUTE, span);
    ctx.header(RESPONSE_HEADER, span.toString());
    TraceMdc.request(span);
  }

  /** The relay's span of this request; null before {@link #assign}. */
  static TraceParent span(Context ctx) {
    return ctx.attribute(ATTRIBUTE);
  }

  /** The relay's span of this request, as a {@code traceparent} value: what a job it queues carries. */
  static String of(Context ctx) {
    TraceParent span = ctx.attribute(ATTRIBUTE);
    return (span != null ? span : TraceParent.random()).toString();
  }
}
