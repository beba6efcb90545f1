-- Idempotency keys, callbacks and webhook secrets. Same rules as V1: runs unchanged on SQLite and
-- PostgreSQL (BIGINT epoch milliseconds, TEXT for JSON and opaque blobs, no SQLite-only syntax).

-- Idempotency-Key (IETF httpapi draft): one row per tenant and key. The primary key is what makes two
-- identical requests arriving at the same instant create one job: the second insert finds the first's
-- row in the same transaction. fingerprint is the SHA-256 (hex) of method, path, the canonical JSON
-- body and the request's preconditions; a key is reused for a different request when it differs.
-- A row past expires_at counts as absent and is replaced or purged.
CREATE TABLE idempotency_keys (
  tenant_id   VARCHAR(26)  NOT NULL REFERENCES tenants (id),
  idem_key    VARCHAR(255) NOT NULL,
  fingerprint CHAR(64)     NOT NULL,
  job_id      VARCHAR(26)  NOT NULL,
  created_at  BIGINT       NOT NULL,
  expires_at  BIGINT       NOT NULL,
  PRIMARY KEY (tenant_id, idem_key)
);

CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- The Standard Webhooks signing secret of an API key (whsec_…), encrypted with the relay's key
-- (AES-GCM, the key in <data-dir>/relay.key). NULL for keys made before callbacks existed.
ALTER TABLE api_keys ADD COLUMN webhook_secret TEXT;

-- Which API key asked for the job (its secret signs the callback), and where to send the outcome.
ALTER TABLE jobs ADD COLUMN api_key_id VARCHAR(26);
ALTER TABLE jobs ADD COLUMN callback_url VARCHAR(2048);

-- One pending or finished callback per job with a callback_url, inserted in the transaction that ends
-- the job, so a restart between the job's end and the delivery loses nothing.
CREATE TABLE callback_deliveries (
  job_id          VARCHAR(26)  NOT NULL PRIMARY KEY REFERENCES jobs (id),
  attempts        INTEGER      NOT NULL DEFAULT 0,
  next_attempt_at BIGINT       NOT NULL,
  delivered_at    BIGINT,
  failed_at       BIGINT,
  last_error      VARCHAR(500)
);

CREATE INDEX callback_deliveries_due ON callback_deliveries (next_attempt_at);
