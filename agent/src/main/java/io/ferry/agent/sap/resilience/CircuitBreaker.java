package io.ferry.agent.sap.resilience;

import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops hammering a SAP system that is down. Closed: calls go through, and {@code threshold} transient
 * failures in a row open it. Open: calls fail at once (nothing is sent to SAP) until the cool-down is
 * over. Half-open: one call is let through to try, others still fail at once; SAP answering it closes the
 * breaker, a transient failure opens it for another cool-down.
 *
 * <p>"SAP answered" includes business errors: a refused customer proves SAP is up. Time comes from the
 * injected clock, so tests move it instead of waiting.
 */
final class CircuitBreaker {

  private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);

  private final String backend;
  private final int threshold;
  private final Duration coolDown;
  private final Clock clock;
  private BreakerState state = BreakerState.CLOSED;
  private int failures;
  private Instant openUntil;
  private boolean trialRunning;

  CircuitBreaker(String backend, int threshold, Duration coolDown, Clock clock) {
    this.backend = backend;
    this.threshold = threshold;
    this.coolDown = coolDown;
    this.clock = clock;
  }

  /** Lets a call through, or refuses it with UNAVAILABLE and the remaining cool-down. */
  synchronized void acquire() throws SapException {
    if (state == BreakerState.OPEN) {
      Instant now = clock.instant();
      if (now.isBefore(openUntil)) {
        throw refusal(Duration.between(now, openUntil));
      }
      state = BreakerState.HALF_OPEN;
      trialRunning = false;
      log.info("FERRY-AGENT-0132 circuit breaker to SAP backend {} half-open: letting one call through to try", backend);
    }
    if (state == BreakerState.HALF_OPEN) {
      if (trialRunning) {
        throw refusal(Duration.ofSeconds(1));
      }
      trialRunning = true;
    }
  }

  /** SAP answered (successfully or with a business error). */
  synchronized void answered() {
    if (state != BreakerState.CLOSED) {
      log.info("FERRY-AGENT-0133 circuit breaker to SAP backend {} closed: SAP answers again", backend);
    }
    state = BreakerState.CLOSED;
    failures = 0;
    openUntil = null;
    trialRunning = false;
  }

  /** The call failed transiently: SAP unreachable, overloaded or too slow. */
  synchronized void failed() {
    failures++;
    trialRunning = false;
    if (state == BreakerState.HALF_OPEN || state == BreakerState.CLOSED && failures >= threshold) {
      state = BreakerState.OPEN;
      openUntil = clock.instant().plus(coolDown);
      log.warn("FERRY-AGENT-0131 circuit breaker to SAP backend {} open after {} transient failure(s) in a row: "
          + "calls fail at once for {} s", backend, failures, coolDown.toSeconds());
    }
  }

  /** The call ended without telling anything about SAP (a fault in the agent): a half-open trial may run again. */
  synchronized void released() {
    trialRunning = false;
  }

  synchronized BreakerStatus status() {
    BreakerState shown = state == BreakerState.OPEN && !clock.instant().isBefore(openUntil) ? BreakerState.HALF_OPEN : state;
    return new BreakerStatus(backend, shown, failures, shown == BreakerState.OPEN ? openUntil : null);
  }

  private SapException refusal(Duration remaining) {
    long seconds = Math.max(1, (remaining.toMillis() + 999) / 1000);
    return new SapException(SapException.Kind.UNAVAILABLE, SapErrorCodes.BREAKER_OPEN,
        "the agent's circuit breaker to SAP backend " + backend + " is open after " + failures
            + " transient failure(s) in a row; nothing was sent to SAP; the next call is let through in " + seconds + " s",
        List.of(), null, Duration.ofSeconds(seconds));
  }
}
