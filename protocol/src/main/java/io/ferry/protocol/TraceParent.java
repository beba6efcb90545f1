package io.ferry.protocol;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent} (version {@code 00}): the trace one customer creation belongs
 * to, and the span that is the parent of the next hop. The relay takes the engine's (or starts a trace),
 * stores it with the job and hands it to the agent in {@link JobEnvelope#traceparent()}; each hop that
 * calls onward (relay → agent, agent → SAP Gateway) sends a {@link #child()}: same trace id, new span id.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId 16 lower-case hex digits, not all zero (the spec's {@code parent-id})
 * @param flags 2 hex digits; {@code 01} is "sampled"
 */
public record TraceParent(String traceId, String spanId, String flags) {

  public static final String HEADER = "traceparent";
  private static final Pattern VERSION_00 = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);
  private static final HexFormat HEX = HexFormat.of();

  public TraceParent {
    if (traceId == null || !traceId.matches("[0-9a-f]{32}") || traceId.equals(ZERO_TRACE)) {
      throw new IllegalArgumentException("a trace id is 32 lower-case hex digits, not all zero, was " + traceId);
    }
    if (spanId == null || !spanId.matches("[0-9a-f]{16}") || spanId.equals(ZERO_SPAN)) {
      throw new IllegalArgumentException("a span id is 16 lower-case hex digits, not all zero, was " + spanId);
    }
    if (flags == null || !flags.matches("[0-9a-f]{2}")) {
      throw new IllegalArgumentException("trace flags are 2 lower-case hex digits, was " + flags);
    }
  }

  /**
   * The header's value if it is a valid version-00 {@code traceparent}; empty otherwise (absent, another
   * version, upper case, all-zero ids), in which case the receiver starts a trace of its own, as the spec says.
   */
  public static Optional<TraceParent> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String v = header.trim();
    if (!VERSION_00.matcher(v).matches()) {
      return Optional.empty();
    }
    String trace = v.substring(3, 35);
    String span = v.substring(36, 52);
    if (trace.equals(ZERO_TRACE) || span.equals(ZERO_SPAN)) {
      return Optional.empty();
    }
    return Optional.of(new TraceParent(trace, span, v.substring(53, 55)));
  }

  /** A new trace, sampled. */
  public static TraceParent random() {
    return new TraceParent(hex(16), newSpanId(), "01");
  }

  /** The same trace with a new span id: what a hop sends onward as the parent of the next. */
  public TraceParent child() {
    return new TraceParent(traceId, newSpanId(), flags);
  }

  /** A new span id: 16 random hex digits, never all zero. */
  public static String newSpanId() {
    return hex(8);
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1; // never all zeros
    return HEX.formatHex(b);
  }

  /** The header value: {@code 00-<trace-id>-<span-id>-<flags>}. */
  @Override
  public String toString() {
    return "00-" + traceId + "-" + spanId + "-" + flags;
  }
}
