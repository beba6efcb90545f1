package io.ferry.bench;

import org.HdrHistogram.Histogram;

/**
 * One line of the table.
 *
 * @param scenario what was run, e.g. {@code sync create, 32 callers}
 * @param mode the mode's key ({@link Modes}), or a description for process scenarios
 * @param label how the mode is shown
 * @param throughput operations per second, or null
 * @param unit what {@code throughput} counts ({@code creates/s}, {@code req/min})
 * @param latency in microseconds, or null
 * @param cpuCores CPU time over wall time (1.0 = one core), or null
 * @param heap bytes of Java heap in use, or null
 * @param rss resident set size in bytes, or null
 * @param note what else to know (errors, whose CPU, agents)
 * @param unavailable why this mode could not run; every figure is null then
 */
record Row(String scenario, String mode, String label, Double throughput, String unit, Latency latency,
    Double cpuCores, Long heap, Long rss, String note, String unavailable) {

  /** p50, p90, p99 and max in microseconds. */
  record Latency(long p50, long p90, long p99, long max, long count) {
    static Latency of(Histogram h) {
      if (h == null || h.getTotalCount() == 0) {
        return null;
      }
      return new Latency(h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
          h.getMaxValue(), h.getTotalCount());
    }
  }

  static Row unavailable(String scenario, Mode mode, String reason) {
    return new Row(scenario, mode.key(), mode.label(), null, null, null, null, null, null, null, reason);
  }

  boolean ran() {
    return unavailable == null;
  }
}
