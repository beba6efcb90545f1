package io.ferry.agent.poll;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A wait that another thread can cut short, so that no back-off delays a shutdown. */
public final class Sleeper {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private boolean wake;

  /** Waits up to {@code d}; returns early on {@link #wakeUp()}. */
  public void sleep(Duration d) throws InterruptedException {
    long nanos = d.toNanos();
    lock.lock();
    try {
      while (!wake && nanos > 0) {
        nanos = woken.awaitNanos(nanos);
      }
      wake = false;
    } finally {
      lock.unlock();
    }
  }

  public void wakeUp() {
    lock.lock();
    try {
      wake = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
