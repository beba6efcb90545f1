package io.ferry.relay.audit;

import io.ferry.relay.store.AuditEvent;
import io.ferry.relay.store.AuditStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes and reads the append-only audit log: admin actions, enrollments and key changes through
 * {@link #record}; jobs ({@code job.accepted}, {@code job.ended}) are written by the store in the
 * transaction that queues or ends them. A detail never carries a key, token, secret or customer data:
 * callers pass ids, scopes, groups and host names only.
 */
public final class AuditLog {

  /** The actor for what is done on the relay's host ({@code ferry relay bootstrap}, {@code RelayAdmin.open}). */
  public static final String OPERATOR = "operator";

  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  private final AuditStore store;
  private final Clock clock;

  public AuditLog(AuditStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Appends an event. The action it records has already happened, so a store failure is logged (with
   * the event, which holds no secret) rather than turned into a failed answer.
   */
  public void record(String tenantId, String actor, String action, String subject, String outcome, String detail) {
    AuditEvent event = AuditEvent.of(clock.instant(), tenantId, actor, action, subject, outcome, detail);
    try {
      store.append(event);
    } catch (RuntimeException e) {
      LOG.error("could not write audit event {}: {}", event, e.getMessage());
    }
  }

  /**
   * What the log names for a key that was given as {@code fk_<id>…} or as its id: the id, never the key
   * (revocation takes either).
   */
  public static String keyId(String apiKeyOrId) {
    if (apiKeyOrId != null && apiKeyOrId.startsWith("fk_")) {
      return apiKeyOrId.length() >= 29 ? apiKeyOrId.substring(3, 29) : "(a malformed key)";
    }
    return apiKeyOrId;
  }

  /** See {@link AuditStore#auditEvents}. */
  public List<AuditEvent> events(String tenantId, Instant since, String action, String afterId, int limit) {
    return store.auditEvents(tenantId, since, action, afterId, limit);
  }
}
