package io.ferry.relay.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context: the engine's {@code traceparent} travels with the job to the agent, so one
 * creation can be followed end to end; a request without a valid one gets a new trace.
 */
final class Traceparent {

  static final String HEADER = "traceparent";
  private static final Pattern VERSION_00 = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_PARENT = "0".repeat(16);

  private Traceparent() {}

  static String fromHeader(String header) {
    if (header != null) {
      String value = header.trim();
      if (VERSION_00.matcher(value).matches()
          && !value.substring(3, 35).equals(ZERO_TRACE)
          && !value.substring(36, 52).equals(ZERO_PARENT)) {
        return value;
      }
    }
    return generate();
  }

  static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] trace = new byte[16];
    byte[] parent = new byte[8];
    random.nextBytes(trace);
    random.nextBytes(parent);
    trace[0] |= 1; // never all zeros
    parent[0] |= 1;
    HexFormat hex = HexFormat.of();
    return "00-" + hex.formatHex(trace) + "-" + hex.formatHex(parent) + "-01";
  }
}
