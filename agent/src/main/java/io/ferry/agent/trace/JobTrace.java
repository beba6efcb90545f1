package io.ferry.agent.trace;

import io.ferry.protocol.TraceParent;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * The trace context of the job a worker thread runs. The agent's work on a job is one span, a child of
 * the relay's span that came with the job ({@code JobEnvelope.traceparent}); while it runs, the log MDC
 * holds {@code trace_id}, {@code span_id} and {@code job_id} (the relay's log lines use the same keys, so
 * one search by trace id finds both sides), and each call to SAP Gateway sends a {@code traceparent} that
 * is a child of this span ({@link #outgoing()}).
 */
public final class JobTrace {

  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";
  public static final String JOB_ID = "job_id";

  private static final ThreadLocal<TraceParent> CURRENT = new ThreadLocal<>();

  /** Closes the job's scope: clears the MDC keys and the current span. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private JobTrace() {}

  /**
   * Starts the agent's span of job {@code jobId}: a child of {@code traceparent}, or a new trace when the
   * job came without a valid one (an older relay).
   */
  public static Scope start(String jobId, String traceparent) {
    TraceParent span = TraceParent.parse(traceparent).map(TraceParent::child).orElseGet(TraceParent::random);
    CURRENT.set(span);
    MDC.put(TRACE_ID, span.traceId());
    MDC.put(SPAN_ID, span.spanId());
    MDC.put(JOB_ID, jobId);
    return () -> {
      CURRENT.remove();
      MDC.remove(TRACE_ID);
      MDC.remove(SPAN_ID);
      MDC.remove(JOB_ID);
    };
  }

  /** The span of the job this thread runs, if any. */
  public static Optional<TraceParent> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /**
   * The {@code traceparent} for one outgoing call made while the job runs: same trace, a new span id per
   * call (each HTTP request to SAP is a hop of its own); empty outside a job.
   */
  public static Optional<String> outgoing() {
    return current().map(span -> span.child().toString());
  }
}
