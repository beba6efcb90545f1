package io.ferry.agent.exec;

import io.ferry.agent.outbox.ResultOutbox;
import io.ferry.agent.policy.JobGate;
import io.ferry.agent.sap.CallDeadline;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerETag;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one job against SAP and leaves its result in the outbox. A job this agent already answered
 * (the relay delivered it again) is answered from the outbox without touching SAP.
 */
public final class JobRunner {

  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private final SapBackend sap;
  private final ResultOutbox outbox;
  private final LeaseKeeper leases;
  private final KeyedLocks upserts = new KeyedLocks();
  private final JobGate gate;

  /** @param gate decides, before SAP is called, whether this agent runs the job at all */
  public JobRunner(SapBackend sap, ResultOutbox outbox, LeaseKeeper leases, JobGate gate) {
    this.sap = sap;
    this.outbox = outbox;
    this.leases = leases;
    this.gate = gate;
  }

  public void run(JobEnvelope job) {
    MDC.put("jobId", job.jobId());
    if (job.traceparent() != null) {
      MDC.put("traceparent", job.traceparent());
    }
    try {
      Optional<JobResult> earlier = outbox.find(job.jobId());
      if (earlier.isPresent()) {
        log.info("FERRY-AGENT-0110 job {} was already run by this agent; sending its result again instead of calling SAP", job.jobId());
        outbox.resend(earlier.get().forAttempt(job.attempt()));
        return;
      }
      long started = System.nanoTime();
      Optional<JobError> refused = gate.refusal(job);
      JobResult result;
      if (refused.isPresent()) {
        result = JobResult.failed(job, refused.get());
      } else {
        result = attempt(job);
        if (result == null) {
          return;
        }
      }
      log.info("FERRY-AGENT-0112 job {} {} attempt {} {} in {} ms", job.jobId(),
          job.action() == null ? "(no action)" : job.action().wireName(), job.attempt(),
          result.outcome(), (System.nanoTime() - started) / 1_000_000);
      outbox.put(result);
    } catch (IOException e) {
      // The result could not be made durable: do not send it either. The lease lapses and the relay
      // hands the job out again; the create's external reference keeps SAP from getting it twice.
      log.error("FERRY-AGENT-0113 cannot store the result of job {}: {}", job.jobId(), e.getMessage());
    } finally {
      MDC.remove("jobId");
      MDC.remove("traceparent");
    }
  }

  /**
   * A create delivered again (attempt 2 or later: an earlier attempt's lease lapsed, perhaps after SAP
   * had committed and before the result reached the relay) first asks SAP for the caller's external
   * reference, and reports the customer found instead of creating a second one. A BAPI create is not
   * idempotent by itself; this makes the effect in SAP exactly once.
   */
  private JobResult create(JobEnvelope job) throws SapException {
    Customer wanted = job.customer();
    if (job.attempt() > 1 && wanted.externalId() != null) {
      Optional<Customer> earlier = sap.findByExternalId(wanted.externalId());
      if (earlier.isPresent()) {
        log.info("FERRY-AGENT-0115 job {} attempt {}: SAP already holds customer {} with external id {}; reporting it instead of creating another",
            job.jobId(), job.attempt(), earlier.get().customerNumber(), wanted.externalId());
        return JobResult.succeeded(job, earlier.get());
      }
    }
    return JobResult.succeeded(job, sap.create(wanted));
  }

  /**
   * Runs the job against SAP while keeping its lease; every failure becomes the job's result. Null when
   * the agent is stopping before the job reached SAP: no result then; the lease lapses and the relay
   * hands the job out again.
   */
  private JobResult attempt(JobEnvelope job) {
    try (AutoCloseable lease = leases.keep(job); CallDeadline.Scope deadline = CallDeadline.until(job.deadline())) {
      return execute(job);
    } catch (PreconditionFailed e) {
      return JobResult.failed(job, new JobError(JobError.Kind.PRECONDITION_FAILED, PreconditionFailed.CODE,
          e.getMessage(), List.of()));
    } catch (InvalidJob e) {
      return JobResult.failed(job, new JobError(JobError.Kind.INVALID_REQUEST, InvalidJob.CODE, e.getMessage(),
          List.of()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("FERRY-AGENT-0114 job {} was interrupted before it reached SAP; it will be handed out again", job.jobId());
      return null;
    } catch (SapException e) {
      return JobResult.failed(job, new JobError(kindOf(e), e.code(), e.getMessage(), e.sapMessages(),
          e.retryAfter().map(d -> (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toSeconds()))).orElse(null)));
    } catch (Exception e) {
      log.error("FERRY-AGENT-0111 job {} failed inside the agent", job.jobId(), e);
      return JobResult.failed(job, new JobError(JobError.Kind.INTERNAL, "FERRY-AGENT-0111",
          "the agent failed while running the job (" + e.getClass().getSimpleName() + "); see the agent's log", List.of()));
    }
  }

  private JobResult execute(JobEnvelope job) throws SapException, PreconditionFailed, InvalidJob, InterruptedException {
    return switch (job.action()) {
      case CUSTOMER_CREATE -> create(job);
      case CUSTOMER_READ -> JobResult.succeeded(job, sap.read(job.customerNumber()));
      case CUSTOMER_UPDATE -> {
        checkPrecondition(job);
        yield JobResult.succeeded(job, sap.update(job.customerNumber(), CustomerPatch.fromMergePatch(job.changes())));
      }
      case CUSTOMER_UPSERT -> upsert(job);
      case CUSTOMER_SEARCH -> JobResult.found(job, sap.search(SearchQueries.valid(job.search())));
    };
  }

  /**
   * Creates the customer unless SAP already holds one with its external id; then changes that one to
   * the values given. The look-up goes to SAP every time, so an upsert repeated after a crash finds the
   * customer its first run created instead of creating a second. Upserts of the same external id take
   * turns in this agent (look-up and write together), so two at once cannot both create; the key ignores
   * case, as SAP may.
   */
  private JobResult upsert(JobEnvelope job) throws SapException, InvalidJob, InterruptedException {
    Customer wanted = job.customer();
    if (wanted == null || wanted.externalId() == null || wanted.externalId().isBlank()) {
      throw new InvalidJob("an upsert needs the customer with its externalId");
    }
    try (KeyedLocks.Held turn = upserts.lock(wanted.externalId().strip().toUpperCase(Locale.ROOT))) {
      Optional<Customer> existing = sap.findByExternalId(wanted.externalId());
      if (existing.isEmpty()) {
        return JobResult.upserted(job, sap.create(wanted), JobResult.Effect.CREATED);
      }
      String number = existing.get().customerNumber();
      return JobResult.upserted(job, sap.update(number, UpsertChanges.of(wanted)), JobResult.Effect.UPDATED);
    }
  }

  /**
   * An update with {@code ifMatch} changes SAP only while the customer is as the engine last saw it.
   * Neither the BAPI nor every OData service offers a conditional change, so the agent reads first; a
   * change by someone else between this read and the update is not caught (a window of one BAPI call).
   */
  private void checkPrecondition(JobEnvelope job) throws SapException, PreconditionFailed {
    if (job.ifMatch() == null) {
      return;
    }
    Customer current = sap.read(job.customerNumber());
    if (!CustomerETag.matches(job.ifMatch(), current)) {
      throw new PreconditionFailed("customer " + current.customerNumber() + " changed since it was read: its ETag is "
          + CustomerETag.of(current) + ", the request expected " + job.ifMatch()
          + "; read it again and apply the change to what SAP holds now");
    }
  }

  /** The customer no longer matches the engine's If-Match: not a failure of SAP, an answer for the engine. */
  private static final class PreconditionFailed extends Exception {
    private static final long serialVersionUID = 1L;
    static final String CODE = "FERRY-AGENT-0120";

    PreconditionFailed(String message) {
      super(message, null, false, false);
    }
  }

  private static JobError.Kind kindOf(SapException e) {
    return switch (e.kind()) {
      case BUSINESS -> JobError.Kind.SAP_BUSINESS_ERROR;
      case NOT_FOUND -> JobError.Kind.NOT_FOUND;
      case UNAVAILABLE -> JobError.Kind.SAP_UNAVAILABLE;
      // A misconfigured agent is for its operator to fix, not the caller: retry later.
      case CONFIGURATION -> JobError.Kind.SAP_UNAVAILABLE;
      case FORBIDDEN -> JobError.Kind.FORBIDDEN;
    };
  }
}
