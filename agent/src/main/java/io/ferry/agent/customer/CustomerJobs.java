package io.ferry.agent.customer;

import io.ferry.agent.handler.JobHandler;
import io.ferry.agent.handler.JobRefused;
import io.ferry.agent.handler.KeyedLocks;
import io.ferry.agent.sap.Correlation;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerETag;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs customer jobs (create, read, update, upsert, search) on the backend's {@link CustomerPort}, each call through
 * the agent's layers ({@link SapCalls}). What is particular to customers lives here: a create delivered again looks
 * for the customer an earlier attempt made, an upsert looks up by external id, an update checks the engine's
 * {@code If-Match}.
 */
public final class CustomerJobs implements JobHandler {

  private static final Logger log = LoggerFactory.getLogger(CustomerJobs.class);
  private static final Set<Action> ACTIONS = Set.of(Action.CUSTOMER_CREATE, Action.CUSTOMER_READ,
      Action.CUSTOMER_UPDATE, Action.CUSTOMER_UPSERT, Action.CUSTOMER_SEARCH);

  private final String backendName;
  private final CustomerPort port;
  private final CustomerCalls calls;
  private final SapCalls sap;
  private final KeyedLocks upserts = new KeyedLocks();

  /** @param sap the layers every call passes (guard, retries, metering) */
  public CustomerJobs(SapBackend backend, SapCalls sap) {
    this.backendName = backend.name();
    this.port = backend.port(CustomerPort.class).orElse(null);
    this.calls = port == null ? null : new CustomerCalls(port);
    this.sap = sap;
  }

  @Override
  public Set<Action> actions() {
    return ACTIONS;
  }

  @Override
  public JobResult run(JobEnvelope job, boolean again) throws SapException, JobRefused, InterruptedException {
    if (calls == null) {
      throw new SapException(SapException.Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION, "the " + backendName
          + " backend does not work on customers", List.of());
    }
    return switch (job.action()) {
      case CUSTOMER_CREATE -> create(job, again);
      case CUSTOMER_READ -> JobResult.succeeded(job, sap.run(calls.read(job.customerNumber())));
      case CUSTOMER_UPDATE -> {
        checkPrecondition(job);
        yield JobResult.succeeded(job, sap.run(calls.update(job.customerNumber(),
            CustomerPatch.fromMergePatch(job.changes()))));
      }
      case CUSTOMER_UPSERT -> upsert(job);
      case CUSTOMER_SEARCH -> JobResult.found(job, sap.run(calls.search(SearchQueries.valid(job.search()))));
      default -> throw JobRefused.invalid("customer jobs do not include " + job.action().wireName());
    };
  }

  /**
   * A create delivered again (attempt 2 or later: an earlier attempt's lease lapsed, perhaps after SAP
   * had committed and before the result reached the relay; or SQS delivered its message again after its
   * visibility lapsed), or one the journal shows this agent started
   * before it stopped, first asks SAP for the caller's external reference — or, without one, for the
   * job's correlation, which every attempt of the job writes — and reports the customer found instead of
   * creating a second one. A BAPI create is not idempotent by itself; this makes the effect in SAP exactly
   * once. Every create carries the job's correlation ({@code sap.correlation-field}), so that a create
   * whose answer SAP lost is found again ({@link io.ferry.agent.sap.resilience.Resilience}).
   */
  private JobResult create(JobEnvelope job, boolean again) throws SapException {
    Customer wanted = job.customer();
    Correlation correlation = port.correlation(job.jobId()).orElse(null);
    CustomerCalls.LookUp lookUp = calls.lookUp(wanted, correlation);
    if (again && lookUp != null) {
      String by = lookUp.label();
      Optional<Customer> earlier;
      try {
        earlier = sap.run(lookUp.call());
      } catch (SapException e) {
        if (e.kind() != SapException.Kind.UNAVAILABLE && e.kind() != SapException.Kind.OUTCOME_UNKNOWN) {
          throw e;
        }
        // An earlier attempt may have created the customer: a failed look-up must not invite a blind retry.
        throw new SapException(SapException.Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN, "the outcome of "
            + "creating the customer is unknown: job " + job.jobId() + " was delivered again (attempt " + job.attempt()
            + ") after an earlier attempt that may have created it, and looking it up by " + by + " failed: "
            + e.getMessage() + "; check in SAP whether a customer with " + by + " exists before sending the request again",
            e.sapMessages(), e);
      }
      if (earlier.isPresent()) {
        log.info("FERRY-AGENT-0115 job {} attempt {}: SAP already holds customer {} with {}; reporting it instead of creating another",
            job.jobId(), job.attempt(), earlier.get().customerNumber(), by);
        return JobResult.succeeded(job, earlier.get());
      }
    }
    return JobResult.succeeded(job, sap.run(calls.create(wanted, correlation, lookUp)));
  }

  /**
   * Creates the customer unless SAP already holds one with its external id; then changes that one to
   * the values given. The look-up goes to SAP every time, so an upsert repeated after a crash finds the
   * customer its first run created instead of creating a second. Upserts of the same external id take
   * turns in this agent (look-up and write together), so two at once cannot both create; the key ignores
   * case, as SAP may.
   */
  private JobResult upsert(JobEnvelope job) throws SapException, JobRefused, InterruptedException {
    Customer wanted = job.customer();
    if (wanted == null || wanted.externalId() == null || wanted.externalId().isBlank()) {
      throw JobRefused.invalid("an upsert needs the customer with its externalId");
    }
    try (KeyedLocks.Held turn = upserts.lock(wanted.externalId().strip().toUpperCase(Locale.ROOT))) {
      Optional<Customer> existing = sap.run(calls.findByExternalId(wanted.externalId()));
      if (existing.isEmpty()) {
        return JobResult.upserted(job, sap.run(calls.create(wanted, port.correlation(job.jobId()).orElse(null))),
            JobResult.Effect.CREATED);
      }
      String number = existing.get().customerNumber();
      return JobResult.upserted(job, sap.run(calls.update(number, UpsertChanges.of(wanted))),
          JobResult.Effect.UPDATED);
    }
  }

  /**
   * An update with {@code ifMatch} changes SAP only while the customer is as the engine last saw it.
   * Neither the BAPI nor every OData service offers a conditional change, so the agent reads first; a
   * change by someone else between this read and the update is not caught (a window of one BAPI call).
   */
  private void checkPrecondition(JobEnvelope job) throws SapException, JobRefused {
    if (job.ifMatch() == null) {
      return;
    }
    Customer current = sap.run(calls.read(job.customerNumber()));
    if (!CustomerETag.matches(job.ifMatch(), current)) {
      throw JobRefused.preconditionFailed("customer " + current.customerNumber() + " changed since it was read: its "
          + "ETag is " + CustomerETag.of(current) + ", the request expected " + job.ifMatch()
          + "; read it again and apply the change to what SAP holds now");
    }
  }

  @Override
  public String toString() {
    return "customers on " + backendName;
  }
}
