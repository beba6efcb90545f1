package io.ferry.relay.changes;

import io.ferry.relay.store.ChangeStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes changes older than relay.changes-retention, with the relay's other housekeeping. Unlike idempotency
 * keys, what it deletes is gone for a reader: an engine whose cursor points before it hears 410
 * ({@code changes-cursor-expired}) and starts again without a cursor.
 */
public final class ChangePurge {

  private static final Logger LOG = LoggerFactory.getLogger(ChangePurge.class);

  private final ChangeStore store;
  private final Clock clock;
  private final Duration retention;

  public ChangePurge(ChangeStore store, Clock clock, Duration retention) {
    this.store = store;
    this.clock = clock;
    this.retention = retention;
  }

  /** One run; returns how many changes it deleted. */
  public int run() {
    return store.prune(clock.instant().minus(retention));
  }

  /** One run for a scheduler: a failure is logged and the next run tries again. */
  public void runSafely() {
    try {
      int pruned = run();
      if (pruned > 0) {
        LOG.info("deleted {} customer change(s) older than relay.changes-retention", pruned);
      }
    } catch (RuntimeException e) {
      LOG.warn("pruning old customer changes failed; the next run retries: {}", e.getMessage());
    }
  }
}
