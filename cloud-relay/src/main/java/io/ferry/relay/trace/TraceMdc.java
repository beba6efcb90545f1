package io.ferry.relay.trace;

import io.ferry.protocol.TraceParent;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * The trace context of the relay's log lines: {@code trace_id}, {@code span_id} and {@code job_id} in the
 * logging MDC, so every line about one customer creation — on the relay and, with the same keys, on the
 * agent — carries the trace id of the engine's request; and {@code request_id}, the {@code X-Request-Id} of
 * the relay request a line is about. The log format prints them (text) or writes them as fields (JSON).
 */
public final class TraceMdc {

  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";
  public static final String JOB_ID = "job_id";
  /** The request's {@code X-Request-Id}, on every line a relay request causes on its own thread. */
  public static final String REQUEST_ID = "request_id";

  /** Restores what the MDC held before; never throws. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private TraceMdc() {}

  /** The span of the request this thread serves now; replaces what an earlier request left. */
  public static void request(TraceParent span) {
    MDC.put(TRACE_ID, span.traceId());
    MDC.put(SPAN_ID, span.spanId());
    MDC.remove(JOB_ID);
  }

  public static void clear() {
    MDC.remove(REQUEST_ID);
    MDC.remove(TRACE_ID);
    MDC.remove(SPAN_ID);
    MDC.remove(JOB_ID);
  }

  /**
   * For lines about one job on a thread that serves something else (an agent's poll, the reaper): the
   * job's id and trace (its stored {@code traceparent}, if valid) until the scope closes, then what was there.
   */
  public static Scope job(String jobId, String traceparent) {
    String traceBefore = MDC.get(TRACE_ID);
    String spanBefore = MDC.get(SPAN_ID);
    String jobBefore = MDC.get(JOB_ID);
    Optional<TraceParent> trace = TraceParent.parse(traceparent);
    if (trace.isPresent()) {
      MDC.put(TRACE_ID, trace.get().traceId());
      MDC.put(SPAN_ID, trace.get().spanId());
    }
    MDC.put(JOB_ID, jobId);
    return () -> {
      restore(TRACE_ID, traceBefore);
      restore(SPAN_ID, spanBefore);
      restore(JOB_ID, jobBefore);
    };
  }

  /**
   * For lines about one request on a thread that may serve another (a held answer completed by the thread
   * of the request that ended the wait): its request id and span until the scope closes, then what was there.
   * Costs nothing when the thread already holds them.
   */
  public static Scope request(String requestId, TraceParent span) {
    String requestBefore = MDC.get(REQUEST_ID);
    if (requestId.equals(requestBefore)) {
      return () -> { };
    }
    String traceBefore = MDC.get(TRACE_ID);
    String spanBefore = MDC.get(SPAN_ID);
    String jobBefore = MDC.get(JOB_ID);
    MDC.put(REQUEST_ID, requestId);
    if (span != null) {
      MDC.put(TRACE_ID, span.traceId());
      MDC.put(SPAN_ID, span.spanId());
    } else {
      MDC.remove(TRACE_ID);
      MDC.remove(SPAN_ID);
    }
    MDC.remove(JOB_ID);
    return () -> {
      restore(REQUEST_ID, requestBefore);
      restore(TRACE_ID, traceBefore);
      restore(SPAN_ID, spanBefore);
      restore(JOB_ID, jobBefore);
    };
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
