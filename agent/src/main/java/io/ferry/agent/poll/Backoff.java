package io.ferry.agent.poll;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with jitter for calls to the relay. An empty poll is a success and costs no
 * delay; an error doubles the delay up to the cap; a throttling answer (429/503) starts with a longer
 * step, or with the relay's Retry-After when that is longer still. Jitter (50–100 % of the step) keeps
 * a fleet of agents from reconnecting in lock-step after a relay restart.
 *
 * <p>Not thread-safe: each loop owns its own.
 */
public final class Backoff {

  public enum Failure { ERROR, THROTTLED }

  private static final int THROTTLE_FACTOR = 5;

  private final Duration initial;
  private final Duration max;
  private final DoubleSupplier random;
  private int failures;
  private Duration current = Duration.ZERO;

  /** @param random source of values in [0, 1), injected so tests can pin the jitter */
  public Backoff(Duration initial, Duration max, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("back-off needs 0 < initial <= max, was " + initial + " and " + max);
    }
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  public void success() {
    failures = 0;
    current = Duration.ZERO;
  }

  public void failure(Failure kind) {
    failure(kind, null);
  }

  /** @param retryAfter the relay's own hint, or null */
  public void failure(Failure kind, Duration retryAfter) {
    failures++;
    Duration step;
    if (failures == 1) {
      step = kind == Failure.THROTTLED ? initial.multipliedBy(THROTTLE_FACTOR) : initial;
    } else {
      step = current.multipliedBy(2);
    }
    if (retryAfter != null && retryAfter.compareTo(step) > 0) {
      step = retryAfter;
    }
    current = step.compareTo(max) > 0 ? max : step;
  }

  /** The wait before the next call: zero after a success, else the current step less up to half of it. */
  public Duration nextDelay() {
    if (current.isZero()) {
      return Duration.ZERO;
    }
    long millis = current.toMillis();
    return Duration.ofMillis(millis / 2 + (long) (random.getAsDouble() * (millis - millis / 2)));
  }

  /** Consecutive failures since the last success. */
  public int failures() {
    return failures;
  }
}
