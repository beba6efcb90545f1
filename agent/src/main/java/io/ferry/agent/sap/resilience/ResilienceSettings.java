package io.ferry.agent.sap.resilience;

import io.ferry.protocol.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the agent rides out SAP outages: retries of transient failures and the circuit breaker per backend.
 *
 * @param maxAttempts {@code agent.sap-retry.max-attempts}: calls of one operation at most, the first included
 *     (1 = no retry); the job's deadline may stop earlier
 * @param initialBackoff {@code agent.sap-retry.initial-backoff}: the first wait; doubled after each failure,
 *     with jitter (50–100 % of the step)
 * @param maxBackoff {@code agent.sap-retry.max-backoff}: the longest wait between two calls
 * @param breakerThreshold {@code agent.sap-breaker.failure-threshold}: consecutive transient failures that
 *     open the breaker
 * @param breakerCoolDown {@code agent.sap-breaker.cool-down}: how long an open breaker refuses calls before
 *     it lets one through to try
 */
public record ResilienceSettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, int breakerThreshold,
    Duration breakerCoolDown) {

  public ResilienceSettings {
    List<String> problems = new ArrayList<>();
    if (maxAttempts < 1 || maxAttempts > 20) {
      problems.add("agent.sap-retry.max-attempts must be between 1 and 20, was " + maxAttempts);
    }
    requireBetween(problems, "agent.sap-retry.initial-backoff", initialBackoff, Duration.ofMillis(1), Duration.ofMinutes(1));
    requireBetween(problems, "agent.sap-retry.max-backoff", maxBackoff, Duration.ofMillis(1), Duration.ofMinutes(5));
    if (initialBackoff != null && maxBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
      problems.add("agent.sap-retry.max-backoff must not be shorter than agent.sap-retry.initial-backoff, was "
          + Durations.format(maxBackoff) + " < " + Durations.format(initialBackoff));
    }
    if (breakerThreshold < 1 || breakerThreshold > 1000) {
      problems.add("agent.sap-breaker.failure-threshold must be between 1 and 1000, was " + breakerThreshold);
    }
    requireBetween(problems, "agent.sap-breaker.cool-down", breakerCoolDown, Duration.ofMillis(1), Duration.ofHours(1));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** 4 attempts, 500 ms doubling up to 10 s; the breaker opens after 5 failures in a row for 30 s. */
  public static ResilienceSettings defaults() {
    return new ResilienceSettings(4, Duration.ofMillis(500), Duration.ofSeconds(10), 5, Duration.ofSeconds(30));
  }

  /** As {@code key=value} lines for the effective configuration. */
  public List<String> describe() {
    return List.of(
        "agent.sap-retry.max-attempts=" + maxAttempts,
        "agent.sap-retry.initial-backoff=" + Durations.format(initialBackoff),
        "agent.sap-retry.max-backoff=" + Durations.format(maxBackoff),
        "agent.sap-breaker.failure-threshold=" + breakerThreshold,
        "agent.sap-breaker.cool-down=" + Durations.format(breakerCoolDown));
  }

  private static void requireBetween(List<String> problems, String name, Duration value, Duration min, Duration max) {
    if (value == null) {
      problems.add(name + " is required");
    } else if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      problems.add(name + " must be between " + Durations.format(min) + " and " + Durations.format(max) + ", was "
          + Durations.format(value));
    }
  }
}
