package io.ferry.relay.dispatch;

import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.Protocol;
import io.ferry.relay.auth.AgentIdentity;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobEvents;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.JobStore;
import io.ferry.relay.trace.TraceMdc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves jobs between engines and agents: queues a job and wakes a parked poll, parks polls that find
 * nothing, lets engine requests wait for a job's end, and runs the lease reaper.
 *
 * <p>Waiting never holds a thread: a parked poll or a waiting engine request is a future that a
 * wake-up, a timeout or {@link #shutdown()} completes. The few worker threads only run the short
 * step after a wake-up (a claim, a read).
 */
public final class Dispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final int WORKERS = 4;
  private static final Duration TERMINATION_WAIT = Duration.ofSeconds(5);

  /** The outcome of a lease renewal, and the new expiry when it was renewed. */
  public record Renewal(JobStore.LeaseRenewal outcome, Instant leaseExpiresAt) {}

  /**
   * What became of a job submitted under an idempotency key: queued now ({@code outcome} as for
   * {@link #submit(Job, Duration)}), or not queued because the key was used before ({@code earlier}).
   */
  public record Submission(CompletableFuture<Job> outcome, JobStore.IdempotencyEntry earlier) {}

  private final JobStore store;
  private final Clock clock;
  private final Duration pollHold;
  private final Duration leaseDuration;
  private final PollWaiters polls = new PollWaiters();
  private final ResultWaiters results = new ResultWaiters();
  private final LeaseReaper reaper;
  private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, new NamedThreads("ferry-dispatch"));
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(new NamedThreads("ferry-reaper"));
  private final Deadlines deadlines = new Deadlines("ferry-deadlines");
  private final Runnable jobEnded;
  private volatile boolean shutdown;
  private volatile JobSigning signer = (job, session) -> job;

  /** How envelopes are signed for the agent they go to ({@code session}: its session, or null for none). */
  @FunctionalInterface
  public interface JobSigning {
    JobEnvelope sign(JobEnvelope job, String session);
  }

  /** @param jobEnded told (on the thread that ended it) whenever a job reached a final state; must not block */
  public Dispatcher(JobStore store, Clock clock, Duration pollHold, Duration leaseDuration, int maxAttempts,
      Runnable jobEnded) {
    this.store = store;
    this.clock = clock;
    this.pollHold = pollHold;
    this.leaseDuration = leaseDuration;
    this.jobEnded = jobEnded;
    this.reaper = new LeaseReaper(store, clock, maxAttempts, polls, results, jobEnded);
  }

  public Dispatcher(JobStore store, Clock clock, Duration pollHold, Duration leaseDuration, int maxAttempts) {
    this(store, clock, pollHold, leaseDuration, maxAttempts, () -> { });
  }

  /** Runs {@code task} every {@code period} on the reaper's thread (housekeeping such as purges), until shutdown. */
  public void every(Duration period, Runnable task) {
    scheduler.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts the reaper. Its period follows the lease: a lapse is noticed within a quarter lease, at most 1 s. */
  public void start() {
    long periodMs = Math.max(50, Math.min(1000, leaseDuration.toMillis() / 4));
    scheduler.scheduleWithFixedDelay(reaper::runSafely, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  // ---------------------------------------------------------------- other relays

  /**
   * What other relays sharing the store did, as this relay hears it: a job one of them queued wakes a
   * poll parked here, a job one of them ended answers the engine request waiting here.
   */
  public JobEvents otherRelays() {
    return new JobEvents() {
      @Override
      public void queued(String tenantId, String agentGroup) {
        polls.wakeOne(tenantId, agentGroup);
      }

      @Override
      public void ended(String jobId) {
        results.finished(jobId);
        jobEnded.run();
      }

      @Override
      public void resync() {
        try {
          workers.execute(Dispatcher.this::recheckSafely);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
          // stopping: nothing left to wake
        }
      }
    };
  }

  /**
   * With several relays: every {@code period}, look in the store for what a lost notification would have
   * said (a queued job a parked poll here may take, an ended job an engine request here waits for).
   * One cheap query each, and only when something waits here.
   */
  public void recheckEvery(Duration period) {
    scheduler.scheduleWithFixedDelay(this::recheckSafely, period.toMillis(), period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void recheckSafely() {
    try {
      recheck();
    } catch (RuntimeException e) {
      LOG.warn("safety check of the shared store failed; the next one retries: {}", e.getMessage());
    }
  }

  void recheck() {
    if (shutdown) {
      return;
    }
    if (polls.size() > 0) {
      for (JobStore.QueuedGroup g : store.queuedGroups(clock.instant())) {
        polls.wakeOne(g.tenantId(), g.agentGroup());
      }
    }
    var waiting = results.waiting();
    if (!waiting.isEmpty()) {
      var ended = store.endedAmong(waiting);
      ended.forEach(results::finished);
      if (!ended.isEmpty()) {
        jobEnded.run();
      }
    }
  }

  // ---------------------------------------------------------------- engine side

  /**
   * Stores the job (durably, before this returns), wakes a poll that may take it, and returns a
   * future with the job as it is when it ended or when {@code wait} passed, whichever is first.
   * With a zero wait the future is already complete with the queued job.
   */
  public CompletableFuture<Job> submit(Job job, Duration wait) {
    return submit(job, wait, null).outcome();
  }

  /**
   * As {@link #submit(Job, Duration)}, under an idempotency key when {@code key} is not null: the job
   * and the key are stored in one transaction, unless the key was used before; then nothing is stored
   * and the earlier entry is returned for the caller to judge.
   */
  public Submission submit(Job job, Duration wait, JobStore.IdempotencyEntry key) {
    CompletableFuture<ResultWaiters.Ending> ended = wait.isZero() ? null : results.register(job.id());
    // A poll already waiting for such a job gets it directly: the job is inserted leased to that poll's agent,
    // one commit instead of a queued insert and a claim, and no hand-over to another thread in between.
    PollWaiters.Waiter taker = shutdown ? null : polls.reserve(job.tenantId(), job.agentGroup(), job.action());
    Job stored = taker == null ? job : job.leasedOnArrival(taker.agentId, clock.instant().plus(leaseDuration));
    try {
      if (key == null) {
        store.insert(stored);
      } else {
        var earlier = store.insert(stored, key);
        if (earlier.isPresent()) {
          if (ended != null) {
            results.forget(job.id());
          }
          if (taker != null) {
            taker.handoff.complete(null); // that poll looks in the queue instead
          }
          return new Submission(null, earlier.get());
        }
      }
    } catch (RuntimeException e) {
      if (ended != null) {
        results.forget(job.id());
      }
      if (taker != null) {
        taker.handoff.complete(null);
      }
      throw e;
    }
    return new Submission(waitFor(stored, wait, ended, taker), null);
  }

  /** The live entry of an idempotency key, if the tenant used it within its retention. */
  public Optional<JobStore.IdempotencyEntry> idempotencyKey(String tenantId, String key) {
    return store.findIdempotencyKey(tenantId, key, clock.instant());
  }

  private CompletableFuture<Job> waitFor(Job job, Duration wait, CompletableFuture<ResultWaiters.Ending> ended,
      PollWaiters.Waiter taker) {
    try (TraceMdc.Scope log = TraceMdc.job(job.id(), job.traceparent())) {
      if (taker != null) { // one line for both: they happened in one commit
        LOG.info("job {} queued and leased to agent {} (its poll was waiting), attempt {}: {} for tenant {}, "
            + "traceparent {}", job.id(), job.leasedBy(), job.attempt(), job.action().wireName(), job.tenantId(),
            job.traceparent());
      } else {
        LOG.info("job {} queued: {} for tenant {}, traceparent {}", job.id(), job.action().wireName(), job.tenantId(),
            job.traceparent());
      }
    }
    if (taker != null) {
      taker.handoff.complete(job);
    } else {
      polls.wakeOne(job.tenantId(), job.agentGroup(), job.action());
    }
    if (ended == null) {
      return CompletableFuture.completedFuture(job);
    }
    // Ended by a result this relay accepted: answered from it, on the thread that accepted it. Otherwise (the
    // sync window passed, another relay or the reaper ended it, the relay stops) the job is read as it is.
    return deadlines.completeOnTimeout(ended, null, wait.toNanos())
        .thenCompose(e -> e != null
            ? CompletableFuture.completedFuture(job.endedBy(e.agentId(), e.attempt(), e.state(), e.resultJson(),
                e.errorJson(), e.at()))
            : CompletableFuture.supplyAsync(() -> store.find(job.tenantId(), job.id()).orElse(job), workers));
  }

  /**
   * {@code count} jobs of the tenant (for any of its agents) were queued outside {@link #submit} — a
   * batch's next records, stored with their batch — so as many parked polls wake for them.
   */
  public void queued(String tenantId, int count) {
    for (int i = 0; i < count && polls.wakeOne(tenantId, null); i++) {
      // each wake completes one parked poll; none left to wake ends the loop
    }
  }

  public Optional<Job> find(String tenantId, String jobId) {
    return store.find(tenantId, jobId);
  }

  /**
   * The action of the tenant's job: from memory for a job this relay handed out and that has not ended, from
   * the store otherwise. Checking an agent's result needs the action, and reading the whole job back for it
   * was a read per job.
   */
  public Optional<Action> actionOf(String tenantId, String jobId) {
    HandedOut h = handedOut.get(jobId);
    if (h != null && h.tenantId().equals(tenantId)) {
      return Optional.of(h.action());
    }
    return store.find(tenantId, jobId).map(Job::action);
  }

  /** A job this relay handed to an agent, remembered until its result comes here or room is needed. */
  private record HandedOut(String tenantId, Action action) {}

  /** Bounded: a result that goes to another relay (or never comes) must not keep its entry for ever. */
  private static final int HANDED_OUT_REMEMBERED = 10_000;
  private final java.util.Map<String, HandedOut> handedOut = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, HandedOut> eldest) {
          return size() > HANDED_OUT_REMEMBERED;
        }
      });

  // ---------------------------------------------------------------- agent side

  /**
   * An agent's long poll: the jobs it may take now, or, when there are none, the jobs it may take
   * as soon as one is queued within the hold, or an empty list when the hold ends or the relay stops.
   */
  public CompletableFuture<List<JobEnvelope>> poll(AgentIdentity agent, int maxJobs) {
    return poll(agent, maxJobs, pollHold, null);
  }

  /**
   * As {@link #poll(AgentIdentity, int)}, held at most {@code hold} (never longer than the relay's own
   * hold). A poll of a run that said it stops is answered empty at once: it is a late arrival whose
   * sender is gone.
   */
  public CompletableFuture<List<JobEnvelope>> poll(AgentIdentity agent, int maxJobs, Duration hold, String runId) {
    return poll(agent, maxJobs, hold, pollHold, runId, null);
  }

  /**
   * As {@link #poll(AgentIdentity, int, Duration, String)}, held at most {@code longest} instead of the relay's
   * hold (an agent's stream, whose pings show it alive, may park a poll for minutes: see {@code AgentStream}), for an
   * agent that can read only the jobs of {@code readable} (null: every action): a job of another action is neither claimed for it nor handed to it, and
   * waits for an agent that can (an agent older than an object would otherwise take its job and never answer).
   */
  public CompletableFuture<List<JobEnvelope>> poll(AgentIdentity agent, int maxJobs, Duration hold, Duration longest,
      String runId, Set<Action> readable) {
    if (polls.isStopped(runId)) {
      return CompletableFuture.completedFuture(List.of());
    }
    Duration h = hold.compareTo(longest) > 0 ? longest : hold;
    return attempt(agent, maxJobs, System.nanoTime() + h.toNanos(), readable);
  }

  /** How long a poll is held at most (relay.poll-hold). */
  public Duration pollHold() {
    return pollHold;
  }

  /** Every action this relay knows, as a current agent's poll names them. */
  private static final List<String> ALL_ACTIONS = io.ferry.protocol.PollRequest.knownActions();

  /**
   * The actions an agent can read, from its poll's list: null when it reads every action this relay knows (a
   * current agent: its claim needs no filter, and this costs one list comparison per poll); an agent that names
   * none predates payloads and reads the customer actions.
   */
  public static Set<Action> readableBy(List<String> actionNames) {
    if (actionNames != null && (actionNames.equals(ALL_ACTIONS) || actionNames.containsAll(ALL_ACTIONS))) {
      return null;
    }
    Set<Action> readable = EnumSet.noneOf(Action.class);
    for (Action a : Action.values()) {
      if (actionNames == null ? !a.carriesPayload() : actionNames.contains(a.wireName())) {
        readable.add(a);
      }
    }
    return readable;
  }

  private CompletableFuture<List<JobEnvelope>> attempt(AgentIdentity agent, int maxJobs, long holdUntilNanos,
      Set<Action> readable) {
    // Park first, claim second: a job queued between the two wakes this waiter instead of being missed.
    PollWaiters.Waiter waiter = polls.register(agent.agentId(), agent.tenantId(), agent.agentGroup(), readable);
    List<Job> claimed;
    try {
      claimed = claim(agent, maxJobs, readable);
    } catch (RuntimeException e) {
      polls.remove(waiter);
      if (waiter.settle() == Signal.HANDED) {
        // A job was handed over meanwhile: it is leased to this agent, so this answer must carry it.
        return waiter.handoff.thenApply(job -> envelopes(job == null ? List.of() : List.of(job), agent.session()));
      }
      return CompletableFuture.failedFuture(e);
    }
    long remaining = holdUntilNanos - System.nanoTime();
    if (!claimed.isEmpty() || remaining <= 0 || shutdown) {
      polls.remove(waiter);
      Signal ended = waiter.settle();
      if (ended == Signal.WOKEN) {
        // This poll was woken for a job it may not have taken; pass the wake on.
        polls.wakeOne(agent.tenantId(), agent.agentGroup());
      }
      if (ended == Signal.HANDED) {
        return waiter.handoff.thenApply(job -> envelopes(withHanded(claimed, job), agent.session()));
      }
      return CompletableFuture.completedFuture(envelopes(claimed, agent.session()));
    }
    return deadlines.completeOnTimeout(waiter.signal, Signal.TIMEOUT, remaining)
        .thenCompose(signal -> {
          if (signal == Signal.HANDED) {
            // Answered on the thread that handed the job over: its envelope is all there is to make.
            polls.remove(waiter);
            return waiter.handoff.thenCompose(job -> job != null
                ? CompletableFuture.completedFuture(envelopes(List.of(job), agent.session()))
                : CompletableFuture.supplyAsync(() -> attempt(agent, maxJobs, holdUntilNanos, readable), workers)
                    .thenCompose(next -> next));
          }
          return CompletableFuture.supplyAsync(() -> {
            polls.remove(waiter);
            return signal;
          }, workers).thenCompose(s -> s == Signal.WOKEN && !shutdown
              ? attempt(agent, maxJobs, holdUntilNanos, readable)
              : CompletableFuture.completedFuture(List.<JobEnvelope>of()));
        });
  }

  private static List<Job> withHanded(List<Job> claimed, Job handed) {
    if (handed == null) {
      return claimed;
    }
    List<Job> all = new java.util.ArrayList<>(claimed);
    all.add(handed);
    return all;
  }

  /** Whether this run of an agent said it stops polling (a poll of it is a late arrival). */
  public boolean isStopped(String runId) {
    return polls.isStopped(runId);
  }

  /**
   * The agent is stopping: answer its parked poll now with no job. Its connection is about to close,
   * and a job leased to it would wait out a whole lease before another agent could take it.
   */
  public void release(AgentIdentity agent, String runId) {
    polls.release(agent.agentId(), runId);
  }

  /** The agent was disabled, here or on another relay: a poll it parked here answers now, with nothing. */
  public void releaseAgent(String agentId) {
    polls.release(agentId, null);
  }

  private List<Job> claim(AgentIdentity agent, int maxJobs, Set<Action> readable) {
    Instant now = clock.instant();
    List<Job> jobs = store.claim(agent.tenantId(), agent.agentGroup(), agent.agentId(), maxJobs, now,
        now.plus(leaseDuration), readable);
    for (Job j : jobs) {
      try (TraceMdc.Scope log = TraceMdc.job(j.id(), j.traceparent())) {
        LOG.info("job {} leased to agent {}, attempt {}", j.id(), agent.agentId(), j.attempt());
      }
    }
    return jobs;
  }

  private List<JobEnvelope> envelopes(List<Job> jobs, String session) {
    for (Job j : jobs) {
      handedOut.put(j.id(), new HandedOut(j.tenantId(), j.action()));
    }
    JobSigning sign = signer;
    return jobs.stream().map(j -> sign.sign(envelope(j), session)).toList();
  }

  /** Every envelope handed out from now on passes {@code signer} (the relay's job signature). */
  public void signJobsWith(JobSigning signer) {
    this.signer = signer;
  }

  private static JobEnvelope envelope(Job j) {
    JobRequest request = JobRequest.fromJson(j.requestJson());
    return new JobEnvelope(Protocol.VERSION, j.id(), j.action(), j.attempt(), j.leaseExpiresAt(), j.deadline(),
        request.customerNumber(), request.customer(), request.changes(), j.traceparent(), request.ifMatch(),
        request.search(), request.payload(), null);
  }

  public Renewal renewLease(AgentIdentity agent, String jobId, int attempt) {
    Instant now = clock.instant();
    Instant expires = now.plus(leaseDuration);
    JobStore.LeaseRenewal outcome = store.renewLease(agent.tenantId(), jobId, agent.agentId(), attempt, now, expires);
    return new Renewal(outcome, outcome == JobStore.LeaseRenewal.RENEWED ? expires : null);
  }

  /** Records an agent's result and releases the engine request waiting for it. */
  public JobStore.Completion complete(AgentIdentity agent, String jobId, int attempt, JobState outcome,
      String resultJson, String errorJson) {
    Instant now = clock.instant();
    JobStore.Completion completion = store.complete(agent.tenantId(), jobId, agent.agentId(), attempt, outcome,
        resultJson, errorJson, now);
    handedOut.remove(jobId);
    if (completion == JobStore.Completion.ACCEPTED) {
      // The trace is the request's: the agent sends the job's traceparent with its result.
      try (TraceMdc.Scope log = TraceMdc.job(jobId, null)) {
        LOG.info("job {} {} (attempt {}, agent {}){}", jobId, outcome, attempt, agent.agentId(),
            outcome == JobState.FAILED ? JobOutput.failureSummary(errorJson) : "");
      }
      results.finished(jobId, new ResultWaiters.Ending(agent.agentId(), attempt, outcome, resultJson, errorJson, now));
      jobEnded.run();
    }
    return completion;
  }

  /**
   * Tells {@code listener} (tenant id, agent group or null for any) whenever a job may be waiting in the
   * queue: queued, requeued after a lapsed lease, or a batch's next records. SQS dispatch forwards jobs then.
   * The listener runs on the thread that queued and must not block.
   */
  public void onQueued(java.util.function.BiConsumer<String, String> listener) {
    polls.onWake(listener);
  }

  /**
   * Leases up to {@code maxJobs} queued jobs of the tenant (and {@code agentGroup}, or no group) to
   * {@code holder} until {@code leaseExpiresAt}, and returns them as signed envelopes, with their jobs. For a
   * dispatcher other than the long polls (SQS), which hands each to its queue.
   */
  public List<Leased> lease(String tenantId, String agentGroup, String holder, int maxJobs, Instant leaseExpiresAt) {
    List<Job> jobs = store.claim(tenantId, agentGroup, holder, maxJobs, clock.instant(), leaseExpiresAt);
    JobSigning sign = signer;
    return jobs.stream().map(j -> new Leased(j, sign.sign(envelope(j), null))).toList();
  }

  /** A job leased by {@link #lease}, and its envelope as the agent gets it. */
  public record Leased(Job job, JobEnvelope envelope) {}

  /** Extends the lease {@code holder} has on a job, to {@code leaseExpiresAt}. */
  public JobStore.LeaseRenewal extendLease(String tenantId, String jobId, String holder, int attempt,
      Instant leaseExpiresAt) {
    return store.renewLease(tenantId, jobId, holder, attempt, clock.instant(), leaseExpiresAt);
  }

  /**
   * The job's delivery gave up for good (its message reached the dead-letter queue): LEASED → DEAD with
   * {@code errorJson}, if {@code holder} still holds that attempt. Releases the engine request waiting for it.
   */
  public JobStore.Completion bury(String tenantId, String jobId, String holder, int attempt, String errorJson) {
    JobStore.Completion completion = store.complete(tenantId, jobId, holder, attempt, JobState.DEAD, null, errorJson,
        clock.instant());
    if (completion == JobStore.Completion.ACCEPTED) {
      LOG.warn("job {} is DEAD (attempt {}): its message reached the dead-letter queue", jobId, attempt);
      results.finished(jobId);
      jobEnded.run();
    }
    return completion;
  }

  /**
   * A job was ended outside the agent's result (an administrator cancelled it): the engine request
   * waiting for it answers now, and callbacks and batches look at it.
   */
  public void ended(String jobId) {
    results.finished(jobId);
    jobEnded.run();
  }

  /** A job was queued outside {@link #submit} (an administrator's retry): wake a poll that may take it. */
  public void queued(Job job) {
    LOG.info("job {} queued: {} for tenant {}", job.id(), job.action().wireName(), job.tenantId());
    polls.wakeOne(job.tenantId(), job.agentGroup(), job.action());
  }

  /** Polls parked right now. */
  public int waitingPolls() {
    return polls.size();
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Graceful part of stopping: no more reaper runs, parked polls answer with no jobs, waiting engine
   * requests answer with the job as it is (202). Idempotent. The workers keep running so those
   * answers can be made; {@link #close()} stops them.
   */
  public void shutdown() {
    if (shutdown) {
      return;
    }
    shutdown = true;
    scheduler.shutdown(); // a run in progress finishes; no new one starts
    polls.closeAll();
    results.closeAll();
  }

  /** {@link #shutdown()}, then stops the worker threads, waiting a bounded time for them. */
  @Override
  public void close() {
    shutdown();
    deadlines.close();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(TERMINATION_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("dispatch workers still busy after {}; stopping them", TERMINATION_WAIT);
        workers.shutdownNow();
      }
      scheduler.awaitTermination(TERMINATION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
