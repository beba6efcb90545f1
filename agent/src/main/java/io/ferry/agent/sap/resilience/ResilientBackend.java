package io.ferry.agent.sap.resilience;

import io.ferry.agent.poll.Backoff;
import io.ferry.agent.sap.CallDeadline;
import io.ferry.agent.sap.Correlation;
import io.ferry.agent.sap.SapErrorCodes;
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
 * again as it is only when the backend says SAP surely did not act (UNAVAILABLE); after OUTCOME_UNKNOWN the
 * customer is looked up first (by {@code externalId}, else by the create's correlation) and a customer found
 * is the answer; see {@link #create(Customer, Correlation)}.
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
    return create(customer, null);
  }

  /**
   * A create that failed where SAP surely did not act (UNAVAILABLE) is sent again as it is. One that may
   * have created the customer (OUTCOME_UNKNOWN) is followed by a look-up — by {@code externalId}, else by
   * the correlation — and sent again only when the look-up finds nothing. When the tries end in doubt, the
   * look-up is made once more (reconciliation): a customer found is the answer, none found means SAP did not
   * act (UNAVAILABLE, worth a retry); without a way to look, or when the look-up fails too, the answer is
   * OUTCOME_UNKNOWN with what to check in SAP, never a failure that invites a blind retry.
   */
  @Override
  public Customer create(Customer customer, Correlation correlation) throws SapException {
    LookUp lookUp = LookUp.of(sap, customer, correlation);
    boolean[] inDoubt = {false};
    SapException failure;
    try {
      return retrying("create", e -> !inDoubt[0] || lookUp != null, () -> {
        if (inDoubt[0]) {
          Optional<Customer> found = lookUp.find();
          if (found.isPresent()) {
            log.info("FERRY-AGENT-0136 a create retried after a failure found customer {} ({}) in SAP; "
                + "reporting it instead of creating another", found.get().customerNumber(), lookUp);
            return found.get();
          }
          inDoubt[0] = false;
        }
        try {
          return sap.create(customer, correlation);
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
    return reconcile(lookUp, correlation, failure);
  }

  /** After the tries ended in doubt: look once more, and say what is known. */
  private Customer reconcile(LookUp lookUp, Correlation correlation, SapException failure) throws SapException {
    Instant at = clock.instant();
    if (lookUp == null) {
      log.warn("FERRY-AGENT-0135 a create failed in a way that may have left the customer in SAP ({}); it has no "
          + "externalId and the agent no sap.correlation-field to look it up by", failure.getMessage());
      throw outcomeUnknown(failure, "the customer has no externalId and the agent's sap.correlation-field is none, so "
          + "Ferry cannot look it up; check in SAP whether a customer with this name was created around " + at, at);
    }
    Optional<Customer> found;
    try {
      found = retrying("reconciliation look-up", e -> true, lookUp::find);
    } catch (SapException e) {
      log.warn("FERRY-AGENT-0137 a create may have left the customer in SAP ({}), and looking it up ({}) failed too: {}",
          failure.getMessage(), lookUp, e.getMessage());
      throw outcomeUnknown(failure, "looking it up by " + lookUp + " failed too (" + e.getMessage() + "); check in SAP "
          + "whether a customer with " + lookUp + " exists (created around " + at + ")", at);
    }
    if (found.isPresent()) {
      log.info("FERRY-AGENT-0136 a create whose answer was lost found customer {} ({}) in SAP; reporting it",
          found.get().customerNumber(), lookUp);
      return found.get();
    }
    log.info("FERRY-AGENT-0138 a create failed and SAP holds no customer with {}: SAP did not create it", lookUp);
    throw new SapException(SapException.Kind.UNAVAILABLE, SapErrorCodes.UNAVAILABLE, failure.getMessage()
        + "; SAP did not create the customer (no customer with " + lookUp + "), so the request may be sent again",
        failure.sapMessages(), failure);
  }

  private static SapException outcomeUnknown(SapException failure, String whatToCheck, Instant at) {
    return new SapException(SapException.Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN,
        "the outcome of creating the customer is unknown: " + failure.getMessage() + ". " + whatToCheck
            + "; do not send the request again before that", failure.sapMessages(), failure);
  }

  /** How a create is looked up after an unknown outcome: its externalId, else its correlation. */
  private record LookUp(SapBackend sap, String externalId, Correlation correlation) {

    static LookUp of(SapBackend sap, Customer customer, Correlation correlation) {
      if (customer.externalId() != null && !customer.externalId().isBlank()) {
        return new LookUp(sap, customer.externalId(), null);
      }
      return correlation == null ? null : new LookUp(sap, null, correlation);
    }

    Optional<Customer> find() throws SapException {
      return externalId != null ? sap.findByExternalId(externalId) : sap.findByCorrelation(correlation);
    }

    @Override
    public String toString() {
      return externalId != null ? "externalId " + externalId : correlation.toString();
    }
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
  public Optional<Correlation> correlation(String jobId) {
    return sap.correlation(jobId);
  }

  @Override
  public Optional<Customer> findByCorrelation(Correlation correlation) throws SapException {
    return retrying("look-up by correlation", e -> true, () -> sap.findByCorrelation(correlation));
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
