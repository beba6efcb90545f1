package io.ferry.agent.exec;

import io.ferry.agent.handler.JobHandlers;
import io.ferry.agent.handler.JobRefused;
import io.ferry.agent.journal.Journal;
import io.ferry.agent.policy.JobGate;
import io.ferry.agent.sap.CallDeadline;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.trace.JobTrace;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job against SAP and leaves its result in the journal, which delivers it. A job this agent
 * already answered (the relay delivered it again) is answered from the journal without touching SAP.
 */
public final class JobRunner {

  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private final JobHandlers handlers;
  private final Journal journal;
  /** Jobs running in this process now: a second delivery of one of them waits for the first's outcome. */
  private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final LeaseKeeper leases;
  private final JobGate gate;

  private final Finished finished;

  /** Told of every job this runner ran to a result (not of results answered again from the journal). */
  @FunctionalInterface
  public interface Finished {
    void finished(JobEnvelope job, JobResult result, long nanos);
  }

  /**
   * @param handlers what runs each action in SAP, one handler per business object
   * @param gate decides, before SAP is called, whether this agent runs the job at all
   */
  public JobRunner(JobHandlers handlers, Journal journal, LeaseKeeper leases, JobGate gate) {
    this(handlers, journal, leases, gate, (job, result, nanos) -> { });
  }

  /** @param finished told of each result (the agent's metrics) */
  public JobRunner(JobHandlers handlers, Journal journal, LeaseKeeper leases, JobGate gate, Finished finished) {
    this.handlers = handlers;
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
   * Runs the job against SAP while keeping its lease; every failure becomes the job's result. Null when
   * the agent is stopping before the job reached SAP: no result then; the lease lapses and the relay
   * hands the job out again.
   */
  private JobResult attempt(JobEnvelope job, boolean again) {
    try (AutoCloseable lease = leases.keep(job); CallDeadline.Scope deadline = CallDeadline.until(job.deadline())) {
      return execute(job, again);
    } catch (JobRefused e) {
      return JobResult.failed(job, e.error());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("FERRY-AGENT-0114 job {} was interrupted before it reached SAP; it will be handed out again", job.jobId());
      return null;
    } catch (SapException e) {
      return JobResult.failed(job, new JobError(kindOf(e), e.code(), e.getMessage(), e.sapMessages(),
          e.retryAfter().map(d -> (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toSeconds()))).orElse(null),
          e.abapException().orElse(null)));
    } catch (Exception e) {
      log.error("FERRY-AGENT-0111 job {} failed inside the agent", job.jobId(), e);
      return JobResult.failed(job, new JobError(JobError.Kind.INTERNAL, "FERRY-AGENT-0111",
          "the agent failed while running the job (" + e.getClass().getSimpleName() + "); see the agent's log", List.of()));
    }
  }

  private JobResult execute(JobEnvelope job, boolean again) throws SapException, JobRefused, InterruptedException {
    return handlers.forAction(job.action()).run(job, again);
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
