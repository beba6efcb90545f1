package io.ferry.agent.sap.resilience;

import io.ferry.agent.poll.Backoff;
import io.ferry.agent.sap.CallDeadline;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapDiagnosis;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SearchQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SAP backend that rides out SAP outages: transient failures ({@link Transience}) are retried with
 * exponential back-off and jitter, never beyond the deadline of the job the thread runs
 * ({@link CallDeadline}) nor more than {@code maxAttempts} times; business errors are never retried; and a
 * {@link CircuitBreaker} stops calls to a SAP that keeps failing.
 *
 * <p>Reads, look-ups, searches and updates are retried as they are: an update sets the fields the patch
 * names to fixed values, so applying it twice leaves SAP as once. A create is not idempotent: it is sent
 * again as it is only when the failure proves the request never reached SAP; otherwise the customer's
 * {@code externalId} is looked up first (as the job runner does for a redelivered create) and a customer
 * found is the answer; without an {@code externalId} an unsafe failure is not retried.
 *
 * <p>The agent applies it inside the policy guard, directly around the real backend: the guard's refusals
 * (FORBIDDEN, decided on what SAP answered) are then never retried nor counted by the breaker, and every
 * call the breaker counts is one that went to SAP.
 */
public final class ResilientBackend implements SapBackend {

  private static final Logger log = LoggerFactory.getLogger(ResilientBackend.class);

  private final SapBackend sap;
  private final ResilienceSettings settings;
  private final Clock clock;
  private final Pause pause;
  private final DoubleSupplier random;
  private final CircuitBreaker breaker;

  public ResilientBackend(SapBackend sap, ResilienceSettings settings, Clock clock) {
    this(sap, settings, clock, Pause.REAL, () -> ThreadLocalRandom.current().nextDouble());
  }

  ResilientBackend(SapBackend sap, ResilienceSettings settings, Clock clock, Pause pause, DoubleSupplier random) {
    this.sap = sap;
    this.settings = settings;
    this.clock = clock;
    this.pause = pause;
    this.random = random;
    this.breaker = new CircuitBreaker(sap.name(), settings.breakerThreshold(), settings.breakerCoolDown(), clock);
  }

  /** The breaker's state, for {@code ferry agent status}. */
  public BreakerStatus breakerStatus() {
    return breaker.status();
  }

  @Override
  public String name() {
    return sap.name();
  }

  @Override
  public Customer create(Customer customer) throws SapException {
    boolean canLookUp = customer.externalId() != null && !customer.externalId().isBlank();
    boolean[] lookUpFirst = {false};
    return retrying("create", e -> {
      if (lookUpFirst[0] || !Transience.neverReachedSap(e)) {
        if (!canLookUp) {
          log.warn("FERRY-AGENT-0135 a create failed in a way that may have left the customer in SAP ({}); it has no "
              + "externalId to look it up by, so it is not sent again", e.getMessage());
          return false;
        }
        lookUpFirst[0] = true;
      }
      return true;
    }, () -> {
      if (lookUpFirst[0]) {
        Optional<Customer> found = sap.findByExternalId(customer.externalId());
        if (found.isPresent()) {
          log.info("FERRY-AGENT-0136 a create retried after a failure found customer {} with external id {} in SAP; "
              + "reporting it instead of creating another", found.get().customerNumber(), customer.externalId());
          return found.get();
        }
      }
      return sap.create(customer);
    });
  }

  @Override
  public Customer read(String customerNumber) throws SapException {
    return retrying("read", e -> true, () -> sap.read(customerNumber));
  }

  @Override
  public Customer update(String customerNumber, CustomerPatch patch) throws SapException {
    return retrying("update", e -> true, () -> sap.update(customerNumber, patch));
  }

  @Override
  public Optional<Customer> findByExternalId(String externalId) throws SapException {
    return retrying("look-up by external id", e -> true, () -> sap.findByExternalId(externalId));
  }

  @Override
  public CustomerPage search(SearchQuery query) throws SapException {
    return retrying("search", e -> true, () -> sap.search(query));
  }

  /** Not through the breaker nor retried: the operator wants to see what SAP does now. */
  @Override
  public SapDiagnosis diagnose() {
    return sap.diagnose();
  }

  @Override
  public void close() {
    sap.close();
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
    return "resilient " + sap;
  }
}
