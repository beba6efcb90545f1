package io.ferry.relay.store;

import java.time.Instant;
import java.util.List;

/**
 * The change feed of each tenant: customers created or changed in SAP, as its agents report them, numbered in
 * the order they were stored and kept for relay.changes-retention.
 */
public interface ChangeStore {

  /**
   * Stores the changes new to the tenant (by {@link NewChange#eventId()}) after its newest, numbered in order; a
   * change whose id the tenant already has (stored before, or earlier in {@code changes}) is counted and left.
   */
  Added add(String tenantId, List<NewChange> changes, Instant receivedAt);

  /**
   * The tenant's changes numbered after {@code afterSeq}, oldest first, at most {@code limit}; with the
   * number through which retention deleted them, so a reader can tell that {@code afterSeq} lost some.
   */
  Page after(String tenantId, long afterSeq, int limit);

  /**
   * The number of the tenant's newest change (0 when it has none yet): the feed's end, where a polling trigger
   * switched on now starts. Every change up to it is committed, as {@link #add} raises it in its transaction.
   */
  long last(String tenantId);

  /** Deletes changes received before {@code cutoff}, of every tenant; returns how many. */
  int prune(Instant cutoff);

  /** What an agent reported, not yet numbered. {@code customerJson} may be null. */
  record NewChange(String eventId, String type, String customerNumber, String externalId, Instant changedAt,
      String customerJson) {}

  /** A stored change, with its number in the tenant's feed. */
  record StoredChange(long seq, String eventId, String type, String customerNumber, String externalId,
      Instant changedAt, String customerJson, Instant receivedAt) {}

  record Added(int added, int repeated) {}

  /**
   * @param changes the changes after the asked number, oldest first
   * @param prunedThrough every change numbered up to this is deleted (0 when none was)
   */
  record Page(List<StoredChange> changes, long prunedThrough) {}
}
