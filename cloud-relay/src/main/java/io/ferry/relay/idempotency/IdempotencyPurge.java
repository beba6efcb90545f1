package io.ferry.relay.idempotency;

import io.ferry.relay.store.JobStore;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets idempotency keys past relay.idempotency-retention. Correctness does not depend on it (an
 * expired key already counts as new when it is used again); the purge keeps the table from growing.
 */
public final class IdempotencyPurge {

  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyPurge.class);

  private final JobStore store;
  private final Clock clock;

  public IdempotencyPurge(JobStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** One run; for a scheduler, so a failure is logged and the next run tries again. */
  public void runSafely() {
    try {
      int purged = store.purgeIdempotencyKeys(clock.instant());
      if (purged > 0) {
        LOG.info("forgot {} expired idempotency key(s)", purged);
      }
    } catch (RuntimeException e) {
      LOG.warn("purging expired idempotency keys failed; the next run retries: {}", e.getMessage());
    }
  }
}
