package io.ferry.relay.store;

import java.time.Instant;

/**
 * One row of the append-only audit log.
 *
 * @param id a ULID, time-ordered: the paging cursor
 * @param at when it happened
 * @param tenantId whose tenant it concerns
 * @param actor who did it: an API key id, an agent id, {@code relay} (the reaper) or {@code operator}
 *     (on the relay's host)
 * @param action what was done, such as {@code admin.key.create} or {@code job.ended}
 * @param subject what it was done to: a key, agent or job id
 * @param outcome how it ended, such as {@code SUCCEEDED}, {@code QUEUED} or {@code DEAD}
 * @param detail a short note, never a secret
 */
public record AuditEvent(String id, Instant at, String tenantId, String actor, String action, String subject,
    String outcome, String detail) {

  /** A detail is cut to this many characters. */
  public static final int MAX_DETAIL = 500;

  public AuditEvent {
    if (detail != null && detail.length() > MAX_DETAIL) {
      detail = detail.substring(0, MAX_DETAIL);
    }
  }

  /** A new event now-ish: its id is a ULID of {@code at}. */
  public static AuditEvent of(Instant at, String tenantId, String actor, String action, String subject,
      String outcome, String detail) {
    return new AuditEvent(Ulid.next(at.toEpochMilli()), at, tenantId, actor, action, subject, outcome, detail);
  }
}
