package io.ferry.relay.dispatch;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Completes futures still waiting when their deadline passes, to within {@link #TICK_NANOS}: the end of a poll's
 * hold, of an engine request's sync window. {@code CompletableFuture.completeOnTimeout} would schedule a task per
 * wait on the common pool's delay scheduler, and wake its thread to add the task and again to cancel it when the
 * wait ends early — which nearly every wait of a busy relay does; here a wait is one lock-free enqueue, and one
 * thread sweeps when the earliest tick is due. Holds and sync windows are seconds long, so 50 ms either way is
 * nothing. The sweeper sleeps until the earliest deadline, not a tick at a time: an idle relay's fleet of polls
 * parked for minutes wakes it a few times a second, where twenty wake-ups a second cost more than the sweeps.
 */
final class Deadlines implements AutoCloseable {

  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private record Due<T>(CompletableFuture<T> future, T value) {
    void complete() {
      future.complete(value);
    }
  }

  /**
   * Waits by the tick their deadline falls in (rounded up), in order: a sweep takes the due ticks from the front
   * and never looks at the thousands of later ones (a fleet's polls parked for minutes on their streams).
   */
  private final ConcurrentSkipListMap<Long, Queue<Due<?>>> byTick = new ConcurrentSkipListMap<>();
  private final long origin = System.nanoTime();
  private final Thread sweeper;
  /** The tick the sweeper sleeps until; {@link #AWAKE} while it sweeps. A wait due earlier wakes it. */
  private volatile long wakeTick = AWAKE;
  private static final long AWAKE = Long.MIN_VALUE;
  /** With nothing to wait for, the sweeper still looks once a second. */
  private static final long IDLE_TICKS = TimeUnit.SECONDS.toNanos(1) / TICK_NANOS;
  private volatile boolean closed;

  Deadlines(String name) {
    sweeper = Thread.ofPlatform().daemon().name(name).start(this::sweep);
  }

  /** {@code future}, completed with {@code value} once {@code afterNanos} passed, unless completed before. */
  <T> CompletableFuture<T> completeOnTimeout(CompletableFuture<T> future, T value, long afterNanos) {
    if (afterNanos <= 0) {
      future.complete(value);
      return future;
    }
    long tick = Math.floorDiv(System.nanoTime() - origin + afterNanos + TICK_NANOS - 1, TICK_NANOS);
    byTick.computeIfAbsent(tick, t -> new ConcurrentLinkedQueue<>()).add(new Due<>(future, value));
    if (tick < wakeTick) { // due before the sweeper means to look (never while it sweeps: it sees this one)
      LockSupport.unpark(sweeper);
    }
    if (Math.floorDiv(System.nanoTime() - origin, TICK_NANOS) >= tick) {
      // The sweep may have taken this tick's queue just before the add (this thread paused in between): the
      // deadline has passed, so end the wait here; completing a future twice is harmless.
      future.complete(value);
    }
    return future;
  }

  private void sweep() {
    while (!closed) {
      long now = Math.floorDiv(System.nanoTime() - origin, TICK_NANOS);
      Map.Entry<Long, Queue<Due<?>>> first;
      while ((first = byTick.firstEntry()) != null && first.getKey() <= now) {
        Queue<Due<?>> due = byTick.remove(first.getKey());
        if (due != null) {
          for (Due<?> d : due) {
            try {
              d.complete();
            } catch (RuntimeException e) {
              // a dependent's failure is that dependent's; the other waits still end on time
            }
          }
        }
      }
      sleepUntilDue(now);
    }
  }

  /**
   * Sleeps until the earliest tick with a wait, or a wait due earlier is added. The tick is published before the
   * map is read again: a wait added before that read is seen by it, one added after sees the tick and wakes this.
   */
  private void sleepUntilDue(long now) {
    Map.Entry<Long, Queue<Due<?>>> first = byTick.firstEntry();
    long target = first == null ? now + IDLE_TICKS : Math.min(first.getKey(), now + IDLE_TICKS);
    wakeTick = target;
    first = byTick.firstEntry();
    if (first == null || first.getKey() >= target) {
      long sleep = origin + target * TICK_NANOS - System.nanoTime();
      if (sleep > 0) {
        LockSupport.parkNanos(sleep);
      }
    }
    wakeTick = AWAKE;
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(sweeper);
  }
}
