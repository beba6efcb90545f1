package io.ferry.relay.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pending callbacks. A delivery row is written in the same transaction that ends a job with a callback
 * URL (see {@link JobStore#complete}), so a relay restart between the end and the delivery loses nothing.
 */
public interface CallbackStore {

  /** Deliveries neither delivered nor given up whose next attempt is due at {@code now}, oldest first. */
  List<Delivery> dueDeliveries(Instant now, int limit);

  /**
   * Records one attempt: {@code attempts} made so far; on {@link DeliveryOutcome#RETRY} the next is due
   * at {@code nextAttemptAt}.
   */
  void recordAttempt(String jobId, int attempts, Instant now, DeliveryOutcome outcome, Instant nextAttemptAt,
      String error);

  /**
   * Who is told, right after the commit, that this store scheduled a delivery (a job with a callback URL
   * ended here): the sender looks for due deliveries then instead of at its next tick. Must not block.
   */
  void onDeliveryScheduled(Runnable listener);

  /** For tests and operators: where a job's callback stands. */
  Optional<DeliveryState> deliveryState(String jobId);

  record Delivery(String jobId, String tenantId, int attempts) {}

  record DeliveryState(int attempts, Instant deliveredAt, Instant failedAt, String lastError) {}

  enum DeliveryOutcome { DELIVERED, RETRY, GAVE_UP }
}
