package io.ferry.odatapeer;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The peer's clock: the system's UTC clock until a test installs another ({@link ODataPeer#useClock}). The store
 * and the error pages hold this one for the peer's life, so a clock set later reaches them.
 */
final class PeerClock extends Clock {

  private volatile Clock delegate = Clock.systemUTC();

  Clock use(Clock c) {
    Clock previous = delegate;
    delegate = Objects.requireNonNull(c, "clock");
    return previous;
  }

  @Override
  public ZoneId getZone() {
    return delegate.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return delegate.withZone(zone);
  }

  @Override
  public Instant instant() {
    return delegate.instant();
  }
}
