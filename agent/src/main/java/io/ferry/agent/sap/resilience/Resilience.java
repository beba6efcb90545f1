package io.ferry.agent.sap.resilience;

import io.ferry.agent.poll.Backoff;
import io.ferry.agent.sap.CallDeadline;
import io.ferry.agent.sap.SapCall;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapLayer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rides out SAP outages for every call to SAP, whatever the business object: transient failures ({@link Transience})
 * are retried with exponential back-off and jitter, never beyond the deadline of the job the thread runs
 * ({@link CallDeadline}) nor more than {@code maxAttempts} times; business errors are never retried; and a
 * {@link CircuitBreaker} stops calls to a SAP that keeps failing.
 *
 * <p>A call that may be repeated as it is ({@link SapCall.Repeat#AS_IS}: reads, look-ups, searches, and changes
 * that set fixed values, which applied twice leave SAP as once) is retried as it is. A create is not idempotent: it
 * is sent again as it is only when the port says SAP surely did not act (UNAVAILABLE); after OUTCOME_UNKNOWN the
 * call's look-up runs first and what it finds is the answer; see {@link #create}. A create without a look-up (a
 * generic function call, an OData write) is retried only after UNAVAILABLE, never after OUTCOME_UNKNOWN.
 *
 * <p>The agent stacks it inside the policy guard, directly around the metering and the port: the guard's refusals
 * (FORBIDDEN, decided on what SAP answered) are then never retried nor counted by the breaker, and every call the
 * breaker counts is one that went to SAP.
 */
public final class Resilience implements SapLayer {

  private static final Logger log = LoggerFactory.getLogger(Resilience.class);

  private final ResilienceSettings settings;
  private final Clock clock;
  private final Pause pause;
  private final DoubleSupplier random;
  private final CircuitBreaker breaker;

  /** @param backendName the backend the breaker guards, for its log lines and {@code ferry agent status} */
  public Resilience(String backendName, ResilienceSettings settings, Clock clock) {
    this(backendName, settings, clock, Pause.REAL, () -> ThreadLocalRandom.current().nextDouble());
  }

  Resilience(String backendName, ResilienceSettings settings, Clock clock, Pause pause, DoubleSupplier random) {
    this.settings = settings;
    this.clock = clock;
    this.pause = pause;
    this.random = random;
    this.breaker = new CircuitBreaker(backendName, settings.breakerThreshold(), settings.breakerCoolDown(), clock);
  }

  /** The breaker's state, for {@code ferry agent status}. */
  public BreakerStatus breakerStatus() {
    return breaker.status();
  }

  @Override
  public <T> T around(SapCall<T> call, Inner inner) throws SapException {
    if (call.repeat() == SapCall.Repeat.AFTER_LOOK_UP) {
      return create(call, inner);
    }
    return retrying(call.toString(), e -> true, () -> inner.run(call));
  }

  /**
   * A create that failed where SAP surely did not act (UNAVAILABLE) is sent again as it is. One that may
   * have made the object (OUTCOME_UNKNOWN) is followed by the call's look-up, and sent again only when the look-up
   * finds nothing. When the tries end in doubt, the look-up is made once more (reconciliation): an object found is
   * the answer, none found means SAP did not act (UNAVAILABLE, worth a retry); without a way to look, or when the
   * look-up fails too, the answer is OUTCOME_UNKNOWN with what to check in SAP, never a failure that invites a blind
   * retry.
   */
  private <T> T create(SapCall<T> call, Inner inner) throws SapException {
    SapCall<Optional<T>> lookUp = call.lookUp();
    boolean[] inDoubt = {false};
    SapException failure;
    try {
      return retrying(call.toString(), e -> !inDoubt[0] || lookUp != null, () -> {
        if (inDoubt[0]) {
          Optional<T> found = inner.run(lookUp);
          if (found.isPresent()) {
            log.info("FERRY-AGENT-0136 a {} retried after a failure found {} in SAP ({}); reporting it instead of "
                + "creating another", call.operation(), call.subject(), call.lookUpLabel());
            return found.get();
          }
          inDoubt[0] = false;
        }
        try {
          return inner.run(call);
        } catch (SapException e) {
          inDoubt[0] = e.kind() == SapException.Kind.OUTCOME_UNKNOWN;
          throw e;
        }
      });
    } catch (SapException e) {
      if (!inDoubt[0]) {
        throw e;
      }
      failure = e;
    }
    return reconcile(call, inner, failure);
  }


  /** After the tries ended in doubt: look once more, and say what is known. */
  private <T> T reconcile(SapCall<T> call, Inner inner, SapException failure) throws SapException {
    Instant at = clock.instant();
    SapCall<Optional<T>> lookUp = call.lookUp();
    if (lookUp == null) {
      log.warn("FERRY-AGENT-0135 a create failed in a way that may have left {} in SAP ({}); {}", call.subject(),
          failure.getMessage(), call.lookUpLabel());
      throw outcomeUnknown(call, failure, call.lookUpLabel() + ", so Ferry cannot look it up; check in SAP whether "
          + call.subject() + " was created around " + at, at);
    }
    Optional<T> found;
    try {
      found = retrying("reconciliation look-up", e -> true, () -> inner.run(lookUp));
    } catch (SapException e) {
      log.warn("FERRY-AGENT-0137 a create may have left {} in SAP ({}), and looking it up ({}) failed too: {}",
          call.subject(), failure.getMessage(), call.lookUpLabel(), e.getMessage());
      throw outcomeUnknown(call, failure, "looking it up by " + call.lookUpLabel() + " failed too (" + e.getMessage()
          + "); check in SAP whether " + call.subject() + " with " + call.lookUpLabel() + " exists (created around "
          + at + ")", at);
    }
    if (found.isPresent()) {
      log.info("FERRY-AGENT-0136 a create whose answer was lost found {} ({}) in SAP; reporting it", call.subject(),
          call.lookUpLabel());
      return found.get();
    }
    log.info("FERRY-AGENT-0138 a create failed and SAP holds nothing with {}: SAP did not create {}",
        call.lookUpLabel(), call.subject());
    throw new SapException(SapException.Kind.UNAVAILABLE, SapErrorCodes.UNAVAILABLE, failure.getMessage()
        + "; SAP did not create " + call.subject() + " (nothing with " + call.lookUpLabel()
        + "), so the request may be sent again", failure.sapMessages(), failure);
  }

  private static SapException outcomeUnknown(SapCall<?> call, SapException failure, String whatToCheck, Instant at) {
    return new SapException(SapException.Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN,
        "the outcome of creating " + call.subject() + " is unknown: " + failure.getMessage() + ". " + whatToCheck
            + "; do not send the request again before that", failure.sapMessages(), failure);
  }

  @FunctionalInterface
  interface Call<T> {
    T run() throws SapException;
  }

  @FunctionalInterface
  interface RetryCheck {
    /** Whether this transient failure may be followed by another attempt. */
    boolean mayRetry(SapException e);
  }

  private <T> T retrying(String what, RetryCheck check, Call<T> call) throws SapException {
    Backoff backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), random);
    Optional<Instant> deadline = CallDeadline.current();
    for (int attempt = 1; ; attempt++) {
      breaker.acquire();
      SapException failure;
      boolean recorded = false;
      try {
        T result = call.run();
        breaker.answered();
        recorded = true;
        return result;
      } catch (SapException e) {
        if (!Transience.isTransient(e)) {
          breaker.answered();
          recorded = true;
          throw e;
        }
        breaker.failed();
        recorded = true;
        failure = e;
      } finally {
        if (!recorded) {
          breaker.released();
        }
      }
      if (attempt >= settings.maxAttempts() || !check.mayRetry(failure)) {
        throw failure;
      }
      backoff.failure(Backoff.Failure.ERROR);
      Duration delay = backoff.nextDelay();
      if (deadline.isPresent() && !clock.instant().plus(delay).isBefore(deadline.get())) {
        log.warn("FERRY-AGENT-0134 SAP {} failed ({}); not retried: the job's deadline {} comes first", what,
            failure.getMessage(), deadline.get());
        throw failure;
      }
      log.warn("FERRY-AGENT-0130 SAP {} failed transiently (attempt {} of {}): {}; retrying in {} ms", what, attempt,
          settings.maxAttempts(), failure.getMessage(), delay.toMillis());
      try {
        pause.pause(delay);
      } catch (InterruptedException e) {
        // The agent is stopping: keep the interrupt for the caller and report the failure SAP gave.
        Thread.currentThread().interrupt();
        throw failure;
      }
    }
  }

  @Override
  public String toString() {
    return "retries and " + breaker.status();
  }
}
