-- The audit log: who did what, when, with which outcome. Append-only: the relay only ever INSERTs here
-- and SELECTs; no statement of the relay updates or deletes a row. Retention: none built in; operators
-- archive the table (for example with sqlite3 .dump or pg_dump of audit_events) and prune it themselves.
-- id is a ULID (time-ordered), the cursor of GET /admin/v1/audit. at is epoch milliseconds.
CREATE TABLE audit_events (
    id        VARCHAR(26)  NOT NULL PRIMARY KEY,
    at        BIGINT       NOT NULL,
    tenant_id VARCHAR(64)  NOT NULL,
    actor     VARCHAR(128) NOT NULL,
    action    VARCHAR(64)  NOT NULL,
    subject   VARCHAR(128),
    outcome   VARCHAR(32)  NOT NULL,
    detail    VARCHAR(500)
);
CREATE INDEX audit_events_tenant_id ON audit_events (tenant_id, id);
