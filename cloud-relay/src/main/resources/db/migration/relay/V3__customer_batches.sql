-- Customer batches (POST /v1/customer-batches). Same rules as V1 and V2: runs unchanged on SQLite and
-- PostgreSQL (BIGINT epoch milliseconds, TEXT for JSON, no SQLite-only syntax).

-- One batch. state: INTAKE while the request body is still being read (such a row is deleted when the
-- intake fails, and at start: its engine never heard of it), then RUNNING, then COMPLETED or STOPPED.
-- action is the job every record becomes (customer.create, customer.update, customer.upsert);
-- error_handling is stop or continue. ignored_columns is a JSON array of the CSV columns the mapping
-- left out (NULL when none).
CREATE TABLE customer_batches (
  id              VARCHAR(26)  NOT NULL PRIMARY KEY,
  tenant_id       VARCHAR(26)  NOT NULL REFERENCES tenants (id),
  api_key_id      VARCHAR(26),
  action          VARCHAR(40)  NOT NULL,
  error_handling  VARCHAR(8)   NOT NULL,
  state           VARCHAR(16)  NOT NULL,
  total           INTEGER      NOT NULL DEFAULT 0,
  ignored_columns TEXT,
  traceparent     VARCHAR(64),
  created_at      BIGINT       NOT NULL,
  finished_at     BIGINT
);

CREATE INDEX customer_batches_state ON customer_batches (state, id);

-- One record of a batch, numbered from 1 (the first data row or array element). state: PENDING (valid,
-- no job yet), IN_FLIGHT (job_id set: its job is queued or running), SUCCEEDED, FAILED (problem_json is
-- the RFC 9457 problem: from intake validation or from the job), SKIPPED (a stop ended the batch first).
-- A record's job is inserted in the same transaction that sets job_id, so a restart neither loses nor
-- repeats one. record_key is the externalId (upsert) or the customer number (update): two records with
-- the same key never run at once, so the second sees what the first did.
CREATE TABLE customer_batch_records (
  batch_id        VARCHAR(26)  NOT NULL REFERENCES customer_batches (id),
  record_index    INTEGER      NOT NULL,
  state           VARCHAR(16)  NOT NULL,
  record_key      VARCHAR(255),
  external_id     VARCHAR(255),
  customer_number VARCHAR(255),
  request_json    TEXT,
  job_id          VARCHAR(26)  REFERENCES jobs (id),
  effect          VARCHAR(16),
  problem_json    TEXT,
  PRIMARY KEY (batch_id, record_index)
);

-- The runner's look-ups (pending records in order, records in flight) and the results filter.
CREATE INDEX customer_batch_records_state ON customer_batch_records (batch_id, state, record_index);
