-- The change feed (issue 18): customers created or changed in SAP, as the tenant's agents report them
-- (POST /agent/v1/changes), read by engines in order (GET /v1/customer-changes). Same rules as the earlier
-- migrations: runs unchanged on SQLite and PostgreSQL (BIGINT epoch milliseconds, TEXT for JSON).

-- One row per tenant: the tenant's last sequence number and the highest one retention deleted. A write locks
-- this row (FOR UPDATE on PostgreSQL; SQLite has one writer) before it numbers its changes, so changes of one
-- tenant are numbered in the order their transactions commit, with no gaps, by every relay sharing the
-- database: a reader that saw number n never later finds a smaller one it skipped. A database sequence (or
-- SERIAL) would hand out numbers before commit, in an order commits need not keep.
-- pruned_through: every change numbered up to it is gone; a cursor before it has lost changes (410).
CREATE TABLE change_sequences (
  tenant_id      VARCHAR(26) NOT NULL PRIMARY KEY REFERENCES tenants (id),
  last_seq       BIGINT      NOT NULL,
  pruned_through BIGINT      NOT NULL DEFAULT 0
);

-- One change. event_id is the agent's stable id (chg_ + 32 hex): a repeat of it is counted, not stored again.
-- changed_at is SAP's time, received_at the relay's (retention counts from it). customer_json is the
-- customer as the agent read it, NULL when it sent none.
CREATE TABLE customer_changes (
  tenant_id       VARCHAR(26)  NOT NULL REFERENCES tenants (id),
  seq             BIGINT       NOT NULL,
  event_id        VARCHAR(36)  NOT NULL,
  type            VARCHAR(32)  NOT NULL,
  customer_number VARCHAR(10)  NOT NULL,
  external_id     VARCHAR(255),
  changed_at      BIGINT       NOT NULL,
  customer_json   TEXT,
  received_at     BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, seq),
  UNIQUE (tenant_id, event_id)
);

-- Retention looks for each tenant's newest change received before its cutoff.
CREATE INDEX customer_changes_received_at ON customer_changes (tenant_id, received_at);
