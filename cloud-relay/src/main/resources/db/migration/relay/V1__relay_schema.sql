-- The relay's schema. Written to run unchanged on SQLite (embedded) and PostgreSQL (scale-out):
-- instants are BIGINT epoch milliseconds, flags are nullable timestamps instead of booleans,
-- JSON is TEXT, ids are ULIDs in VARCHAR(26).

CREATE TABLE tenants (
  id         VARCHAR(26)  NOT NULL PRIMARY KEY,
  name       VARCHAR(200) NOT NULL UNIQUE,
  created_at BIGINT       NOT NULL
);

-- Engine API keys. The key is fk_<id>_<secret>; only the SHA-256 (hex) of the whole key is kept.
CREATE TABLE api_keys (
  id         VARCHAR(26) NOT NULL PRIMARY KEY,
  tenant_id  VARCHAR(26) NOT NULL REFERENCES tenants (id),
  key_hash   CHAR(64)    NOT NULL,
  created_at BIGINT      NOT NULL,
  revoked_at BIGINT
);

-- One-time agent enrollment tokens: fe_<id>_<secret>.
CREATE TABLE enrollment_tokens (
  id          VARCHAR(26)  NOT NULL PRIMARY KEY,
  tenant_id   VARCHAR(26)  NOT NULL REFERENCES tenants (id),
  agent_group VARCHAR(64)  NOT NULL,
  token_hash  CHAR(64)     NOT NULL,
  created_at  BIGINT       NOT NULL,
  expires_at  BIGINT       NOT NULL,
  used_at     BIGINT,
  used_by     VARCHAR(26)
);

-- Enrolled agents. The agent key is fa_<id>_<secret>.
CREATE TABLE agents (
  id          VARCHAR(26)  NOT NULL PRIMARY KEY,
  tenant_id   VARCHAR(26)  NOT NULL REFERENCES tenants (id),
  agent_group VARCHAR(64)  NOT NULL,
  key_hash    CHAR(64)     NOT NULL,
  name        VARCHAR(200),
  hostname    VARCHAR(255),
  version     VARCHAR(64),
  backend     VARCHAR(32),
  enrolled_at BIGINT       NOT NULL,
  last_seen   BIGINT,
  in_flight   INTEGER      NOT NULL DEFAULT 0
);

CREATE INDEX agents_by_tenant ON agents (tenant_id, agent_group, last_seen);

-- Jobs. agent_group NULL means any agent of the tenant may take the job.
CREATE TABLE jobs (
  id               VARCHAR(26)  NOT NULL PRIMARY KEY,
  tenant_id        VARCHAR(26)  NOT NULL REFERENCES tenants (id),
  agent_group      VARCHAR(64),
  action           VARCHAR(40)  NOT NULL,
  state            VARCHAR(16)  NOT NULL,
  attempt          INTEGER      NOT NULL DEFAULT 0,
  request_json     TEXT         NOT NULL,
  result_json      TEXT,
  error_json       TEXT,
  traceparent      VARCHAR(64),
  created_at       BIGINT       NOT NULL,
  deadline         BIGINT       NOT NULL,
  lease_expires_at BIGINT,
  leased_by        VARCHAR(26),
  finished_at      BIGINT
);

-- The claim: the oldest queued jobs of one tenant.
CREATE INDEX jobs_queue ON jobs (tenant_id, state, id);
-- The reaper: lapsed leases and queued jobs past their deadline.
CREATE INDEX jobs_leases ON jobs (state, lease_expires_at);
CREATE INDEX jobs_deadlines ON jobs (state, deadline);
