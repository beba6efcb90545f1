package io.ferry.agent.poll;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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

  /**
   * The real scheduler: one daemon thread and one timer at a time, as the poll loop arms it (one poll after
   * another); arming again replaces what was armed. Arming and disarming only note the deadline: the thread
   * wakes at the deadline it last saw and, when a later poll moved it, sleeps on until the new one. A timer per
   * poll, cancelled when the poll was answered, stayed queued until its time and woke the thread then, once per
   * poll: a per cent of a busy agent's CPU, measured.
   */
  static Scheduler threaded() {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().name("ferry-poll-watchdog").daemon(true).unstarted(r));
    return new Scheduler() {
      private final Object lock = new Object();
      /** The armed task and its deadline (System.nanoTime()); null when nothing is armed. Guarded by lock. */
      private Runnable armed;
      private long deadline;
      /** Whether the thread has a wake-up scheduled, and for when. Guarded by lock. */
      private boolean checking;
      private long checkAt;

      @Override
      public Armed schedule(Runnable task, Duration delay) {
        long at = System.nanoTime() + delay.toNanos();
        Runnable mine = task::run; // its own identity: disarming ends this arming, not a later one's
        synchronized (lock) {
          armed = mine;
          deadline = at;
          if (!checking || at - checkAt < 0) { // a shorter delay than the one armed before: wake up for it
            checking = true;
            checkAt = at;
            timer.schedule(this::check, delay.toNanos(), TimeUnit.NANOSECONDS);
          }
        }
        return () -> {
          synchronized (lock) {
            if (armed == mine) {
              armed = null;
            }
          }
        };
      }

      private void check() {
        Runnable due;
        synchronized (lock) {
          checking = false;
          if (armed == null) {
            return;
          }
          long left = deadline - System.nanoTime();
          if (left > 0) {
            checking = true;
            checkAt = deadline;
            timer.schedule(this::check, left, TimeUnit.NANOSECONDS);
            return;
          }
          due = armed;
          armed = null;
        }
        due.run();
      }

      @Override
      public void close() {
        timer.shutdownNow();
      }
    };
  }
}
