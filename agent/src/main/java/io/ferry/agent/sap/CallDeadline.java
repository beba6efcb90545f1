package io.ferry.agent.sap;

import java.time.Instant;
import java.util.Optional;

/**
 * The deadline of the job the current thread runs, for the SAP calls it makes: the job runner sets it
 * around a job, and a backend that retries (the resilience decorator) never waits beyond it. A thread
 * running no job has none.
 *
 * <p>A thread-local rather than a parameter of every {@link SapBackend} method: the deadline is a
 * property of the job, not of a call, and the backends below the decorator have no use for it.
 */
public final class CallDeadline {

  private static final ThreadLocal<Instant> CURRENT = new ThreadLocal<>();

  private CallDeadline() {}

  /** Sets the deadline for this thread until the returned scope is closed (which restores the one before). */
  public static Scope until(Instant deadline) {
    Instant before = CURRENT.get();
    if (deadline == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(deadline);
    }
    return new Scope(before);
  }

  /** The current thread's deadline, if it runs a job that has one. */
  public static Optional<Instant> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** Restores the deadline in force before {@link #until(Instant)}. */
  public static final class Scope implements AutoCloseable {
    private final Instant before;

    private Scope(Instant before) {
      this.before = before;
    }

    @Override
    public void close() {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }
}
