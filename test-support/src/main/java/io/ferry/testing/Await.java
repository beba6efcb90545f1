package io.ferry.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A bounded wait for a condition another thread makes true (a job ending, a process coming up): polled every
 * 10 ms, failing the test with what it waited for once the timeout passes. Tests wait on events where they can;
 * this is for what has no event to wait on.
 */
public final class Await {

  private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

  private Await() {}

  /** Returns once {@code condition} holds; an {@link AssertionError} naming {@code what} after {@code timeout}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(POLL_NANOS);
      if (Thread.currentThread().isInterrupted()) {
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  /** As {@link #until(String, Duration, BooleanSupplier)}, for a condition that may throw (an HTTP call). */
  public static void untilTrue(String what, Duration timeout, Callable<Boolean> condition) {
    until(what, timeout, () -> {
      try {
        return condition.call();
      } catch (Exception e) {
        throw new AssertionError("waiting for " + what + " failed: " + e, e);
      }
    });
  }
}
