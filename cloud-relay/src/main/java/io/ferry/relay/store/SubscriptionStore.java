package io.ferry.relay.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Webhook subscriptions to a tenant's change feed: each keeps its own position in the feed (the last number it
 * is done with), so delivery carries on from there after a restart or on another relay.
 */
public interface SubscriptionStore {

  /** Stores a new active subscription positioned at the tenant's feed end now: it gets changes stored after. */
  Subscription create(String id, String tenantId, String apiKeyId, Set<String> events, String url, Instant now);

  Optional<Subscription> find(String tenantId, String id);

  /** The tenant's subscriptions, oldest first. */
  List<Subscription> list(String tenantId);

  /** Deletes the tenant's subscription; false when it had none of that id. */
  boolean delete(String tenantId, String id);

  /**
   * Takes up to {@code limit} active subscriptions due now (changes in the feed past their position, no retry
   * pending past {@code now}) that no relay
   * holds, leasing each to {@code owner} until {@code leaseUntil}: while the lease lasts no other relay takes
   * it. The claim is one conditional UPDATE per row, so two relays racing for a row cannot both win it.
   */
  List<Subscription> claimDue(String owner, Instant now, Instant leaseUntil, int limit);

  /** Gives the lease back (delivery stopped for now); a no-op when {@code owner} lost it. */
  void release(String id, String owner);

  /**
   * The subscription is done with the feed through {@code position}: {@code delivered} more events were posted
   * (2xx), the rest up to it skipped. Clears the retry state. False when {@code owner} no longer holds the
   * lease (then nothing changed): the caller stops.
   */
  boolean advance(String id, String owner, long position, int delivered, Instant deliveredAt);

  /** A failed attempt at the event after the position: the error, when to try again, since when it fails. */
  boolean failed(String id, String owner, String error, Instant at, Instant nextAttemptAt);

  /** Disables the subscription for good (it keeps its row and state for the admin to see). */
  void disable(String id, String reason, Instant at);

  /**
   * @param position the last feed number done with
   * @param attempts failed attempts at the event after {@code position}
   * @param delivered events posted with a 2xx answer, in all
   * @param failedAttempts failed attempts, in all
   */
  record Subscription(String id, String tenantId, String apiKeyId, List<String> events, String url,
      Instant createdAt, String status, String disabledReason, long position, long delivered, long failedAttempts,
      int attempts, Instant lastDeliveredAt, String lastError, Instant failingSince, Instant nextAttemptAt) {

    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";

    public boolean active() {
      return ACTIVE.equals(status);
    }
  }
}
