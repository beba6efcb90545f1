-- Webhook subscriptions (issue 18 §2): an engine asks for the tenant's change-feed events at a URL
-- (POST /v1/subscriptions); the relay posts each matching event there, in feed order. Same rules as the earlier
-- migrations: runs unchanged on SQLite and PostgreSQL (BIGINT epoch milliseconds, TEXT for lists).
--
-- position: the last change-feed number (customer_changes.seq) this subscription is done with (delivered, or
-- skipped as a type it did not ask for). It starts at the feed's end when the subscription is made, and moves
-- only after a 2xx, in the same row: a restart, or another relay taking over, carries on from it.
-- events: the event types asked for, comma-separated (customer.created,customer.changed).
-- status: active or disabled (the URL failed for 24 h, or the API key was revoked); disabled_reason says which.
-- attempts, failing_since, next_attempt_at, last_error: the retry state of the event at position + 1.
-- lease_owner, lease_until: which relay delivers it now; another takes it only after lease_until, so two
-- relays on one PostgreSQL never post one subscription's events at once (and out of order).
CREATE TABLE subscriptions (
  id                VARCHAR(26)  NOT NULL PRIMARY KEY,
  tenant_id         VARCHAR(26)  NOT NULL REFERENCES tenants (id),
  api_key_id        VARCHAR(26)  NOT NULL,
  events            VARCHAR(255) NOT NULL,
  url               TEXT         NOT NULL,
  created_at        BIGINT       NOT NULL,
  status            VARCHAR(16)  NOT NULL,
  disabled_reason   TEXT,
  position          BIGINT       NOT NULL,
  delivered         BIGINT       NOT NULL DEFAULT 0,
  failed_attempts   BIGINT       NOT NULL DEFAULT 0,
  attempts          INTEGER      NOT NULL DEFAULT 0,
  last_delivered_at BIGINT,
  last_error        TEXT,
  failing_since     BIGINT,
  next_attempt_at   BIGINT,
  lease_owner       VARCHAR(64),
  lease_until       BIGINT
);

CREATE INDEX subscriptions_tenant ON subscriptions (tenant_id, created_at);
CREATE INDEX subscriptions_status ON subscriptions (status);
