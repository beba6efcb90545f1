package io.ferry.relay.store;

/**
 * Where a job is in its life: {@code QUEUED → LEASED → SUCCEEDED | FAILED}, a lapsed lease back to
 * {@code QUEUED}, the two ends nobody chose: {@code EXPIRED} (no agent took it before its deadline) and
 * {@code DEAD} (its attempts ran out), and {@code CANCELLED} (an administrator withdrew it while it was
 * queued and no agent had ever taken it).
 */
public enum JobState {
  QUEUED, LEASED, SUCCEEDED, FAILED, EXPIRED, DEAD, CANCELLED;

  /** Final states never change again. */
  public boolean isFinal() {
    return this != QUEUED && this != LEASED;
  }

  /** The ends an administrator may retry (as a new job): the job did not do what was asked. */
  public boolean isRetryable() {
    return this == FAILED || this == DEAD || this == EXPIRED;
  }
}
