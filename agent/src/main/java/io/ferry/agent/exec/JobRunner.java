package io.ferry.agent.exec;

import io.ferry.agent.journal.Journal;
import io.ferry.agent.policy.JobGate;
import io.ferry.agent.sap.CallDeadline;
import io.ferry.agent.sap.Correlation;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.trace.JobTrace;
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

/**
 * Runs one job against SAP and leaves its result in the journal, which delivers it. A job this agent
 * already answered (the relay delivered it again) is answered from the journal without touching SAP.
 */
public final class JobRunner {

  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private final SapBackend sap;
  private final Journal journal;
  /** Jobs running in this process now: a second delivery of one of them waits for the first's outcome. */
  private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final LeaseKeeper leases;
  private final KeyedLocks upserts = new KeyedLocks();
  private final JobGate gate;

  private final Finished finished;

  /** Told of every job this runner ran to a result (not of results answered again from the journal). */
  @FunctionalInterface
  public interface Finished {
    void finished(JobEnvelope job, JobResult result, long nanos);
  }

  /** @param gate decides, before SAP is called, whether this agent runs the job at all */
  public JobRunner(SapBackend sap, Journal journal, LeaseKeeper leases, JobGate gate) {
    this(sap, journal, leases, gate, (job, result, nanos) -> { });
  }

  /** @param finished told of each result (the agent's metrics) */
  public JobRunner(SapBackend sap, Journal journal, LeaseKeeper leases, JobGate gate, Finished finished) {
    this.sap = sap;
    this.journal = journal;
    this.leases = leases;
    this.gate = gate;
    this.finished = finished;
  }

  public void run(JobEnvelope job) {
    run(job, 1);
  }

  /**
   * As {@link #run(JobEnvelope)}, for the {@code receiveCount}-th delivery of this envelope by its transport: 1
   * for the relay's polls (where each new delivery is a new attempt), SQS's receive count in SQS transport
   * (where SQS delivers one attempt's message again when its visibility lapsed). A delivery after the first,
   * of either kind, looks for an earlier create in SAP; the replay check tells deliveries apart by both.
   */
  public void run(JobEnvelope job, int receiveCount) {
    try (JobTrace.Scope trace = JobTrace.start(job.jobId(), job.traceparent())) {
      runTraced(job, receiveCount);
    }
  }

  private void runTraced(JobEnvelope job, int receiveCount) {
    boolean mine = running.add(job.jobId());
    try {
      if (!mine) {
        // The relay handed out a job this agent is still running (the lease lapsed while the relay was
        // away): the run under way stores its outcome, and the next delivery is answered from the journal.
        log.info("FERRY-AGENT-0116 job {} attempt {} is still running here; not starting it twice", job.jobId(), job.attempt());
        return;
      }
      Optional<Journal.Entry> earlier = journal.find(job.jobId());
      if (earlier.isPresent() && earlier.get().result() != null) {
        log.info("FERRY-AGENT-0110 job {} was already run by this agent; sending its result again instead of calling SAP", job.jobId());
        journal.put(earlier.get().result().forAttempt(job.attempt()));
        return;
      }
      // Running in the journal but not here: an earlier run of this agent stopped in the middle of it.
      boolean interrupted = earlier.isPresent();
      // Delivered before: the relay handed the job out again (a new attempt), or SQS its message.
      boolean redelivered = job.attempt() > 1 || receiveCount > 1;
      long started = System.nanoTime();
      Optional<JobError> refused = gate.refusal(job, receiveCount);
      JobResult result;
      if (refused.isPresent()) {
        result = JobResult.failed(job, refused.get());
      } else {
        journal.running(job);
        result = attempt(job, redelivered || interrupted);
        if (result == null) {
          return;
        }
      }
      log.info("FERRY-AGENT-0112 job {} {} attempt {} {} in {} ms{}", job.jobId(),
          job.action() == null ? "(no action)" : job.action().wireName(), job.attempt(),
          result.outcome(), (System.nanoTime() - started) / 1_000_000, failure(result));
      finished.finished(job, result, System.nanoTime() - started);
      journal.put(result);
    } catch (IOException e) {
      // The journal cannot be written: do not call SAP, nor send a result that is not durable. The
      // lease lapses and the relay hands the job out again; the create's external reference keeps SAP
      // from getting it twice.
      log.error("FERRY-AGENT-0113 cannot write job {} to the journal: {}", job.jobId(), e.getMessage());
    } finally {
      if (mine) {
        running.remove(job.jobId());
      }
    }
  }

  /** How a FAILED line ends: the code and the HTTP status the engine will hear, {@code ": FERRY-SAP-0001, HTTP 422"}. */
  private static String failure(JobResult result) {
    JobError error = result.error();
    if (result.outcome() != JobResult.Outcome.FAILED || error == null || error.kind() == null) {
      return "";
    }
    String code = error.code() == null || error.code().isBlank()
        ? error.kind().name().toLowerCase(java.util.Locale.ROOT) : error.code();
    return ": " + code + ", HTTP " + error.kind().httpStatus();
  }

  /**
   * A create delivered again (attempt 2 or later: an earlier attempt's lease lapsed, perhaps after SAP
   * had committed and before the result reached the relay; or SQS delivered its message again after its
   * visibility lapsed), or one the journal shows this agent started
   * before it stopped, first asks SAP for the caller's external reference — or, without one, for the
   * job's correlation, which every attempt of the job writes — and reports the customer found instead of
   * creating a second one. A BAPI create is not idempotent by itself; this makes the effect in SAP exactly
   * once. Every create carries the job's correlation ({@code sap.correlation-field}), so that a create
   * whose answer SAP lost is found again ({@link io.ferry.agent.sap.resilience.ResilientBackend}).
   */
  private JobResult create(JobEnvelope job, boolean again) throws SapException {
    Customer wanted = job.customer();
    Optional<Correlation> correlation = sap.correlation(job.jobId());
    if (again && (wanted.externalId() != null || correlation.isPresent())) {
      String by = wanted.externalId() != null ? "external id " + wanted.externalId() : correlation.get().toString();
      Optional<Customer> earlier;
      try {
        earlier = wanted.externalId() != null ? sap.findByExternalId(wanted.externalId())
            : sap.findByCorrelation(correlation.get());
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
    return JobResult.succeeded(job, sap.create(wanted, correlation.orElse(null)));
  }

  /**
   * Runs the job against SAP while keeping its lease; every failure becomes the job's result. Null when
   * the agent is stopping before the job reached SAP: no result then; the lease lapses and the relay
   * hands the job out again.
   */
  private JobResult attempt(JobEnvelope job, boolean again) {
    try (AutoCloseable lease = leases.keep(job); CallDeadline.Scope deadline = CallDeadline.until(job.deadline())) {
      return execute(job, again);
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

  private JobResult execute(JobEnvelope job, boolean again) throws SapException, PreconditionFailed, InvalidJob, InterruptedException {
    return switch (job.action()) {
      case CUSTOMER_CREATE -> create(job, again);
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
        return JobResult.upserted(job, sap.create(wanted, sap.correlation(job.jobId()).orElse(null)),
            JobResult.Effect.CREATED);
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
      // A setting this request needs is missing: a retry cannot help until an operator adds it.
      // Any other misconfiguration (logon, functions) is agent-wide, for its operator to fix: retry later.
      case CONFIGURATION -> e.missingSetting().isPresent() ? JobError.Kind.SAP_CONFIGURATION : JobError.Kind.SAP_UNAVAILABLE;
      case FORBIDDEN -> JobError.Kind.FORBIDDEN;
      case OUTCOME_UNKNOWN -> JobError.Kind.OUTCOME_UNKNOWN;
    };
  }
}
