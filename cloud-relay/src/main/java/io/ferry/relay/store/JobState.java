package io.ferry.relay.store;

/**
 * Where a job is in its life: {@code QUEUED → LEASED → SUCCEEDED | FAILED}, a lapsed lease back to
 * {@code QUEUED}, and the two ends nobody chose: {@code EXPIRED} (no agent took it before its
 * deadline) and {@code DEAD} (its attempts ran out).
 */
public enum JobState {
  QUEUED, LEASED, SUCCEEDED, FAILED, EXPIRED, DEAD;

  /** Final states never change again. */
  public boolean isFinal() {
    return this != QUEUED && this != LEASED;
  }
}
