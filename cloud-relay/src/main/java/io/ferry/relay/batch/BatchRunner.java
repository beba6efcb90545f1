package io.ferry.relay.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import io.ferry.relay.dispatch.JobOutput;
import io.ferry.relay.store.Batch;
import io.ferry.relay.store.BatchState;
import io.ferry.relay.store.BatchStore;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.StoreException;
import io.ferry.relay.store.Ulid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the records of batches as ordinary jobs, at most {@code relay.batch-parallelism} of each batch in
 * flight at once. Driven by job ends: the dispatcher's job-ended hook calls {@link #jobEnded()} (which
 * wakes the runner only while a batch runs), and one thread then takes a step of every running batch ({@link BatchStore#advance}: settle the records whose
 * job ended, queue the next ones). All progress lives in the store, so after a restart {@link #start()}
 * simply takes the next step: nothing is lost, and nothing runs twice, because a record's job id is
 * stored in the transaction that queues the job. A tick every second covers a wake that found the store
 * unavailable.
 */
public final class BatchRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
  private static final Duration TICK = Duration.ofSeconds(1);
  private static final Duration TERMINATION_WAIT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = Protocol.json();

  /** Tells the dispatcher that jobs of a tenant were queued, so parked polls wake for them. */
  @FunctionalInterface
  public interface JobsQueued {
    void queued(String tenantId, int count);
  }

  private final BatchStore store;
  private final Clock clock;
  private final int parallelism;
  private final Duration jobDeadline;
  private final Function<Job, Problem> problems;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ferry-batches");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean wakePending = new AtomicBoolean();
  /**
   * Whether the last step saw a running batch. While none runs, a job end is no batch's (a batch's jobs are
   * queued by a step, which sets this first), so it wakes nothing; the tick still looks every second.
   */
  private volatile boolean batchesRunning;
  private final AtomicInteger steps = new AtomicInteger();
  private volatile JobsQueued jobsQueued = (tenant, count) -> { };

  /**
   * @param parallelism records of one batch in flight at most
   * @param jobDeadline each record's job may wait this long for an agent (relay.job-deadline)
   * @param problems the problem an ended, unsuccessful job stands for (what GET /v1/operations/{id} answers)
   */
  public BatchRunner(BatchStore store, Clock clock, int parallelism, Duration jobDeadline,
      Function<Job, Problem> problems) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    }
    this.store = store;
    this.clock = clock;
    this.parallelism = parallelism;
    this.jobDeadline = jobDeadline;
    this.problems = problems;
  }

  /**
   * Forgets intakes a stop interrupted (their engines got no answer and send again), resumes running
   * batches and starts the tick.
   */
  public void start(JobsQueued listener) {
    this.jobsQueued = listener;
    int discarded = store.discardUnfinishedIntakes(clock.instant());
    if (discarded > 0) {
      LOG.warn("discarded {} batch(es) whose body was still being read when the relay stopped; "
          + "their engines got no answer and send them again", discarded);
    }
    thread.scheduleWithFixedDelay(this::runSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A job ended: if a batch runs, take the next steps now rather than at the next tick. Never blocks. */
  public void jobEnded() {
    if (batchesRunning) {
      wake();
    }
  }

  /** A batch was accepted: take the next steps now rather than at the next tick. Never blocks. */
  public void wake() {
    if (wakePending.compareAndSet(false, true)) {
      try {
        thread.execute(() -> {
          wakePending.set(false);
          runSafely();
        });
      } catch (RejectedExecutionException stopping) {
        wakePending.set(false); // stopping: the next start resumes from the store
      }
    }
  }

  /** How many steps changed something so far (tests wait on it). */
  int steps() {
    return steps.get();
  }

  private void runSafely() {
    try {
      runOnce();
    } catch (StoreException e) {
      LOG.warn("batch step failed, retried at the next tick: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("batch step failed unexpectedly, retried at the next tick", e);
    }
  }

  void runOnce() {
    List<Batch> running = store.runningBatches();
    if (!running.isEmpty()) {
      batchesRunning = true; // before the step queues jobs: their ends must wake the next step
    }
    boolean stillRunning = false;
    for (Batch batch : running) {
      BatchStore.Step step = store.advance(batch, parallelism, clock.instant(), stepJobs);
      stillRunning |= step.state() == BatchState.RUNNING;
      if (step.queued() > 0) {
        jobsQueued.queued(batch.tenantId(), step.queued());
      }
      if (step.settled() > 0 || step.queued() > 0 || step.state() != BatchState.RUNNING) {
        steps.incrementAndGet();
        LOG.debug("batch {}: {} record(s) settled, {} queued", batch.id(), step.settled(), step.queued());
      }
      if (step.state() != BatchState.RUNNING) {
        LOG.info("batch {} ({} of {} records, {}) {}", batch.id(), BatchMode.of(batch.action()).shownName(),
            batch.total(), batch.stopOnFailure() ? "stop" : "continue", step.state());
      }
    }
    batchesRunning = stillRunning;
  }

  private final BatchStore.StepJobs stepJobs = new BatchStore.StepJobs() {
    @Override
    public Job newJob(Batch batch, String requestJson, Instant now) {
      return Job.queued(Ulid.next(), batch.tenantId(), null, batch.action(), requestJson, batch.traceparent(), now,
          now.plus(jobDeadline)).withOrigin(batch.apiKeyId(), null);
    }

    @Override
    public BatchStore.Settled settle(Job ended) {
      if (ended.state() == JobState.SUCCEEDED) {
        JobOutput output = JobOutput.fromJson(ended.action(), ended.resultJson());
        // The object's number: the customer's, or the sales order's.
        String number = output.customer() != null ? output.customer().customerNumber()
            : output.output() != null ? output.output().path("salesOrder").asText(null) : null;
        String effect = output.effect() == null ? null : output.effect().name();
        return new BatchStore.Settled(true, number, effect, null);
      }
      return new BatchStore.Settled(false, null, null, write(problems.apply(ended)));
    }
  };

  /** Stops the thread; a step in progress finishes (bounded wait). Running batches resume at the next start. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(TERMINATION_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("batch step still running after {}; stopping it", TERMINATION_WAIT);
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }


  private static String write(Problem problem) {
    try {
      return JSON.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem always serialises", e);
    }
  }

}
