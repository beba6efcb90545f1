package io.ferry.relay.callback;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that runs a delivery pass on a tick and at once when woken: how callbacks and webhook
 * subscriptions are sent. The tick picks up what falls due (retries, work left by a stop); a wake answers new work
 * without waiting for it. Wakes that arrive while one is pending fold into it, and a failed pass is logged and left to
 * the next one — the work it did not finish is in the store.
 */
public final class WakeableLoop {

  private static final Logger LOG = LoggerFactory.getLogger(WakeableLoop.class);

  private final String what;
  private final Duration tick;
  private final Runnable pass;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean wakePending = new AtomicBoolean();

  /**
   * @param threadName the thread's name, as thread dumps show it
   * @param what the work, for the log line of a failed pass ("callback delivery")
   * @param pass one delivery pass; runs on the loop's thread only
   */
  public WakeableLoop(String threadName, String what, Duration tick, Runnable pass) {
    this.what = what;
    this.tick = tick;
    this.pass = pass;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    thread.scheduleWithFixedDelay(this::runSafely, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** New work: run a pass now rather than at the next tick. */
  public void wake() {
    if (wakePending.compareAndSet(false, true)) {
      try {
        thread.execute(() -> {
          wakePending.set(false);
          runSafely();
        });
      } catch (RejectedExecutionException stopping) {
        wakePending.set(false); // stopping: the store keeps the work, the next start carries on
      }
    }
  }

  /** Interrupts the pass in progress and runs no other. */
  public void stop() {
    thread.shutdownNow();
  }

  /** After {@link #stop()}: waits up to {@code grace} for the pass in progress; false when it still runs. */
  public boolean awaitStopped(Duration grace) throws InterruptedException {
    return thread.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runSafely() {
    try {
      pass.run();
    } catch (RuntimeException e) {
      LOG.warn("{} run failed; the next run retries: {}", what, e.getMessage());
    }
  }
}
