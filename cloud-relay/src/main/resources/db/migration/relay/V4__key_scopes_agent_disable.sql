-- API key scopes and expiry, and disabled agents.
-- Keys made before this migration keep what they could do: read and write customers.
-- scopes is a space-separated list (customers:read customers:write admin), like OAuth's scope.
ALTER TABLE api_keys ADD COLUMN scopes VARCHAR(100) NOT NULL DEFAULT 'customers:read customers:write';
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;

-- A disabled agent is refused at its next request; it stays listed.
ALTER TABLE agents ADD COLUMN disabled_at BIGINT;
