package io.ferry.relay.store;

/**
 * Where a batch is: {@code INTAKE} while its body is read (never seen by engines), {@code RUNNING},
 * then {@code COMPLETED} (every record ended) or {@code STOPPED} (errorHandling stop and a record failed).
 */
public enum BatchState {
  INTAKE, RUNNING, COMPLETED, STOPPED;

  public boolean isFinal() {
    return this == COMPLETED || this == STOPPED;
  }
}
