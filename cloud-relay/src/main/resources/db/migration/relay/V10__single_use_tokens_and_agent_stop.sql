-- Signed agent tokens (Ferry-Agent) are good for one request: the relay inserts each token's nonce here,
-- under a unique key, before it acts on the request. A replay finds its nonce taken, after a restart of the
-- relay and on any other relay sharing this database alike. A row is needed only while its token could
-- still pass the freshness check (expires_at); the relay deletes older rows in the background.
CREATE TABLE agent_token_uses (
  agent_id   VARCHAR(26) NOT NULL,
  nonce      TEXT        NOT NULL,
  expires_at BIGINT      NOT NULL,
  PRIMARY KEY (agent_id, nonce)
);
CREATE INDEX agent_token_uses_expiry ON agent_token_uses (expires_at);

-- When an agent said it stops (DELETE /agent/v1/poll on a graceful stop): it counts as offline from then
-- until it polls again, on every relay sharing this database.
ALTER TABLE agents ADD COLUMN left_at BIGINT;
