package io.ferry.agent.exec;

import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.relay.RelayException;
import io.ferry.protocol.JobEnvelope;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the lease of each running job at a fixed interval, so a slow BAPI never loses its job to
 * another agent, while a dead agent's job returns to the queue within one lease.
 *
 * <p>One sweep every quarter interval renews the jobs whose last renewal (or start) is an interval old, so a
 * lease is renewed between one and one and a quarter intervals after the last. Nearly every job ends long before
 * its first renewal; a timer per job cost a scheduled task per job, which stayed queued when cancelled and woke
 * the timer's thread when its time came, only to be discarded — 3 % of a busy agent's CPU, measured. A job costs
 * the sweep an entry in a set now.
 */
public final class LeaseKeeper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
  /** Sweeps per renewal interval: a renewal comes at most this fraction of an interval late. */
  private static final int SWEEPS_PER_INTERVAL = 4;

  private final Renewer relay;
  private final long everyNanos;
  /** Jobs whose leases are kept: the jobs running now, which each renewal reports as the agent's in-flight count. */
  private final AtomicInteger running = new AtomicInteger();
  /** The running jobs whose leases are renewed: a job whose lease was lost for good leaves it. */
  private final Set<Kept> kept = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("ferry-lease").daemon(true).unstarted(r));

  public LeaseKeeper(RelayClient relay, Duration every) {
    this((job, inFlight) -> relay.renewLease(job.jobId(), job.attempt(), inFlight), every);
  }

  /** @param renewer renews one job's lease: at the relay, or the visibility of its SQS message */
  public LeaseKeeper(Renewer renewer, Duration every) {
    this.relay = renewer;
    this.everyNanos = every.toNanos();
    long sweep = Math.max(1, every.toMillis() / SWEEPS_PER_INTERVAL);
    timer.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
  }

  /** Renews one job's lease; {@link RelayException.Kind#REJECTED} when it is lost for good. */
  @FunctionalInterface
  public interface Renewer {
    void renew(JobEnvelope job, int inFlight) throws RelayException;
  }

  /** A running job and when its lease was last renewed (at first: when the job started). */
  private static final class Kept {
    final JobEnvelope job;
    /** Written by the caller of keep, then by the sweep's thread alone. */
    volatile long renewedAt;

    Kept(JobEnvelope job, long startedAt) {
      this.job = job;
      this.renewedAt = startedAt;
    }
  }

  /** Starts renewing; close the returned handle when the job is done. */
  public AutoCloseable keep(JobEnvelope job) {
    running.incrementAndGet();
    Kept k = new Kept(job, System.nanoTime());
    kept.add(k);
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        running.decrementAndGet();
      }
      kept.remove(k);
    };
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Kept k : kept) {
      // Checked again just before: a job that ended during this sweep asks for no renewal.
      if (now - k.renewedAt >= everyNanos && kept.contains(k)) {
        k.renewedAt = now; // a slow renewal is not started again by the next sweep
        renew(k);
      }
    }
  }

  private void renew(Kept k) {
    JobEnvelope job = k.job;
    try {
      relay.renew(job, running.get());
      log.debug("lease of job {} renewed", job.jobId());
    } catch (RelayException e) {
      if (e.kind() == RelayException.Kind.REJECTED) {
        log.warn("FERRY-AGENT-0102 lease of job {} attempt {} was lost ({}); the SAP call finishes, its result will be refused",
            job.jobId(), job.attempt(), e.getMessage());
        kept.remove(k);
      } else {
        log.debug("lease renewal of job {} failed, retrying at the next interval: {}", job.jobId(), e.getMessage());
      }
    } catch (RuntimeException e) {
      log.warn("FERRY-AGENT-0103 lease renewal of job {} failed unexpectedly", job.jobId(), e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
