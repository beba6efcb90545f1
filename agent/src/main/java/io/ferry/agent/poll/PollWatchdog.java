package io.ferry.agent.poll;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Arms a timer around each poll: if the poll neither returns nor fails within the limit (the relay's hold
 * plus a grace), the timer fires and the loop abandons it. The OkHttp read timeout alone does not catch a
 * path that trickles bytes or a connection a middlebox has silently dropped while the client keeps
 * waiting; this does, whatever the socket does.
 *
 * <p>Time is the injected {@link Scheduler}'s, so a test fires the timer instead of waiting for it.
 */
final class PollWatchdog implements AutoCloseable {

  /** Runs a task once after a delay; cancellable. */
  interface Scheduler extends AutoCloseable {
    Armed schedule(Runnable task, Duration delay);

    @Override
    void close();
  }

  /** A timer that has been set; disarming an expired one does nothing. */
  interface Armed {
    void disarm();
  }

  private final Duration limit;
  private final Scheduler scheduler;

  PollWatchdog(Duration limit, Scheduler scheduler) {
    this.limit = limit;
    this.scheduler = scheduler;
  }

  Duration limit() {
    return limit;
  }

  /** Sets the timer for one poll; {@code onExpiry} runs on the watchdog's thread. */
  Armed arm(Runnable onExpiry) {
    return scheduler.schedule(onExpiry, limit);
  }

  @Override
  public void close() {
    scheduler.close();
  }

  /** The real scheduler: one daemon thread. */
  static Scheduler threaded() {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().name("ferry-poll-watchdog").daemon(true).unstarted(r));
    return new Scheduler() {
      @Override
      public Armed schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public void close() {
        timer.shutdownNow();
      }
    };
  }
}
