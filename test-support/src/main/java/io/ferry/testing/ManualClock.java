package io.ferry.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move by hand, so expiry, back-off and sessions are tested without waiting. UTC. */
public final class ManualClock extends Clock {

  /** Where a clock starts when the test does not say: a fixed instant, so failures repeat. */
  public static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

  private volatile Instant now;

  public ManualClock(Instant start) {
    this.now = start;
  }

  /** At {@link #START}. */
  public ManualClock() {
    this(START);
  }

  /** At the real time now, for tests whose instants meet the system clock (tokens, database rows). */
  public static ManualClock now() {
    return new ManualClock(Instant.now());
  }

  public void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
