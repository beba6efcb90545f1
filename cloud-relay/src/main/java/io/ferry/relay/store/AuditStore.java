package io.ferry.relay.store;

import java.time.Instant;
import java.util.List;

/**
 * The audit log's table. Append-only: there is no method to change or remove an event. Jobs' events
 * ({@code job.accepted}, {@code job.ended}) are written by the {@link JobStore} in the transaction that
 * queues or ends the job; everything else through {@link #append}.
 */
public interface AuditStore {

  void append(AuditEvent event);

  /**
   * A tenant's events in the order they happened, from {@code since} (inclusive) and after the event
   * {@code afterId} (the cursor; null for the first page), of one {@code action} when not null.
   */
  List<AuditEvent> auditEvents(String tenantId, Instant since, String action, String afterId, int limit);
}
