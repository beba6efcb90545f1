package io.ferry.relay.callback;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When a failed callback is tried again: five attempts within about ten minutes (at 0 s, 30 s, 1.5 min,
 * 4.5 min and 9.5 min after the job ended), long enough to ride out a receiver's restart, short enough
 * that a flow waiting on it is not left hanging for hours.
 */
final class RetrySchedule {

  static final List<Duration> DELAYS = List.of(
      Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(3), Duration.ofMinutes(5));
  static final int MAX_ATTEMPTS = DELAYS.size() + 1;

  private RetrySchedule() {}

  /** The wait after attempt number {@code attemptsMade} failed; empty when that was the last. */
  static Optional<Duration> after(int attemptsMade) {
    return attemptsMade >= 1 && attemptsMade <= DELAYS.size() ? Optional.of(DELAYS.get(attemptsMade - 1))
        : Optional.empty();
  }
}
