package io.ferry.agent.exec;

import io.ferry.agent.poll.JobSink;
import io.ferry.protocol.JobEnvelope;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed number of workers. The poll loop asks for capacity before it polls, so the agent never takes
 * more jobs than it can start at once: a job waiting in a local queue would hold a lease it cannot use.
 */
public final class JobExecutor implements JobSink {

  private static final Logger log = LoggerFactory.getLogger(JobExecutor.class);

  private final int workers;
  private final JobRunner runner;
  private final ExecutorService pool;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private int running;
  private boolean shutdown;

  public JobExecutor(int workers, JobRunner runner) {
    this.workers = workers;
    this.runner = runner;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(workers,
        r -> Thread.ofPlatform().name("ferry-job-" + n.incrementAndGet()).daemon(false).unstarted(r));
  }

  @Override
  public int awaitCapacity() throws InterruptedException {
    lock.lock();
    try {
      while (!shutdown && running >= workers) {
        changed.await();
      }
      return shutdown ? 0 : workers - running;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int inFlight() {
    lock.lock();
    try {
      return running;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void accept(JobEnvelope job) {
    lock.lock();
    try {
      running++;
    } finally {
      lock.unlock();
    }
    pool.execute(() -> {
      try {
        runner.run(job);
      } finally {
        lock.lock();
        try {
          running--;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    });
  }

  /** Takes no new jobs; jobs already running finish. Idempotent. */
  public void shutdown() {
    stopTaking();
    pool.shutdown();
  }

  /**
   * No more capacity to offer: a poll loop waiting for a free worker stops waiting. Jobs handed over after this still
   * run, until {@link #shutdown}: the last poll's answer can bring one while the agent stops.
   */
  public void stopTaking() {
    lock.lock();
    try {
      shutdown = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** True when every running job finished in time. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    boolean done = pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!done) {
      log.warn("FERRY-AGENT-0101 {} job(s) still running after {}; their leases will lapse and the relay will hand them out again",
          inFlight(), io.ferry.protocol.Durations.format(timeout));
    }
    return done;
  }

  public void shutdownNow() {
    shutdown();
    pool.shutdownNow();
  }
}
