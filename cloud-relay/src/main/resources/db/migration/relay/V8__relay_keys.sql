-- Relays sharing one PostgreSQL database must hold the same keys: relay.key (seals the webhook secrets
-- stored here) and job-signing-key.pem (agents pin its public key). The first relay to start records
-- them here: the public key, and a value sealed with relay.key that only the same key opens. A relay
-- whose files differ refuses to start, rather than store secrets the others cannot open or sign jobs
-- agents refuse. One row (id 1). Same rules as V1: runs unchanged on SQLite (which never reads it: one
-- relay per file) and PostgreSQL.
CREATE TABLE relay_keys (
  id              INTEGER NOT NULL PRIMARY KEY,
  job_signing_key TEXT    NOT NULL,
  secret_box_check TEXT   NOT NULL,
  created_at      BIGINT  NOT NULL
);
