package io.ferry.relay.store;

/**
 * Where a record of a batch is: {@code PENDING} (valid, waiting for a free slot), {@code IN_FLIGHT} (its
 * job is queued or running), and the ends {@code SUCCEEDED}, {@code FAILED} (invalid at intake, or its job
 * failed) and {@code SKIPPED} (a stop ended the batch before it started).
 */
public enum RecordState {
  PENDING, IN_FLIGHT, SUCCEEDED, FAILED, SKIPPED;

  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == SKIPPED;
  }
}
