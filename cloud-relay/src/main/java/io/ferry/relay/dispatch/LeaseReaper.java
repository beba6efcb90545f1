package io.ferry.relay.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ferry.protocol.JobError;
import io.ferry.protocol.Protocol;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobStore;
import io.ferry.relay.trace.TraceMdc;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends what nobody will end otherwise: a lapsed lease goes back to the queue (or, on its last
 * attempt, the job is DEAD), and a queued job past its deadline is EXPIRED. Each run takes the
 * time from the injected clock once, so tests move time instead of waiting for it.
 */
final class LeaseReaper {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);
  static final String DEAD_CODE = "FERRY-RELAY-0304";

  private final JobStore store;
  private final Clock clock;
  private final int maxAttempts;
  private final PollWaiters polls;
  private final ResultWaiters results;
  private final String deadError;
  private final Runnable jobEnded;

  LeaseReaper(JobStore store, Clock clock, int maxAttempts, PollWaiters polls, ResultWaiters results,
      Runnable jobEnded) {
    this.store = store;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
    this.polls = polls;
    this.results = results;
    this.deadError = deadError(maxAttempts);
    this.jobEnded = jobEnded;
  }

  LeaseReaper(JobStore store, Clock clock, int maxAttempts, PollWaiters polls, ResultWaiters results) {
    this(store, clock, maxAttempts, polls, results, () -> { });
  }

  void runOnce() {
    Instant now = clock.instant();
    boolean ended = false;
    for (Job j : store.buryLapsedLeases(now, maxAttempts, deadError)) {
      ended = true;
      try (TraceMdc.Scope log = TraceMdc.job(j.id(), j.traceparent())) {
        LOG.warn("job {} ({}) is DEAD: the lease of attempt {} held by agent {} lapsed and no attempt is left",
            j.id(), j.action().wireName(), j.attempt(), j.leasedBy());
      }
      results.finished(j.id());
    }
    List<Job> requeued = store.requeueLapsedLeases(now, maxAttempts);
    for (Job j : requeued) {
      try (TraceMdc.Scope log = TraceMdc.job(j.id(), j.traceparent())) {
        LOG.info("job {} ({}) back in the queue: the lease of attempt {} held by agent {} lapsed",
            j.id(), j.action().wireName(), j.attempt(), j.leasedBy());
      }
      polls.wakeOne(j.tenantId(), j.agentGroup(), j.action());
    }
    for (Job j : store.expireOverdue(now)) {
      ended = true;
      try (TraceMdc.Scope log = TraceMdc.job(j.id(), j.traceparent())) {
        LOG.warn("job {} ({}) EXPIRED: no agent took it before its deadline {}", j.id(), j.action().wireName(),
            j.deadline());
      }
      results.finished(j.id());
    }
    if (ended) {
      jobEnded.run();
    }
  }

  /** For the scheduler: a failed run is logged and the next one tries again; the schedule never dies. */
  void runSafely() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      LOG.error("lease reaper run failed; the next run retries", e);
    }
  }

  private static String deadError(int maxAttempts) {
    JobError error = new JobError(JobError.Kind.INTERNAL, DEAD_CODE,
        "no agent finished the job in " + maxAttempts + " attempt(s): every lease lapsed without a result", null);
    try {
      return Protocol.json().writeValueAsString(error);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JobError always serialises", e);
    }
  }
}
