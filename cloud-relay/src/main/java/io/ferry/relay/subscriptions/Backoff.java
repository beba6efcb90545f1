package io.ferry.relay.subscriptions;

import java.time.Duration;
import java.util.List;

/**
 * When a failed event is tried again. Unlike a job's callback (five attempts, then given up) a subscription
 * holds its place in the feed and keeps trying: quickly at first, to ride out a receiver's restart, then once
 * an hour, until {@link SubscriptionDelivery#DISABLE_AFTER} of failures disables it.
 */
final class Backoff {

  static final List<Duration> DELAYS = List.of(Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
      Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30));
  static final Duration LONGEST = Duration.ofHours(1);

  private Backoff() {}

  /** The wait after the {@code attemptsMade}-th failed attempt at one event (1 for the first). */
  static Duration after(int attemptsMade) {
    return attemptsMade >= 1 && attemptsMade <= DELAYS.size() ? DELAYS.get(attemptsMade - 1) : LONGEST;
  }
}
