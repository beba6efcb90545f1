-- Generic calls (issue 17): an API key may be restricted to some function modules and OData services.
-- functions and odata_services are space-separated lists like scopes; NULL (every key made before this migration)
-- leaves that kind unrestricted: the key's scopes and the agent's allowlist decide.
ALTER TABLE api_keys ADD COLUMN functions TEXT;
ALTER TABLE api_keys ADD COLUMN odata_services TEXT;

-- Every engine scope with admin no longer fits scopes' VARCHAR(100) (PostgreSQL enforces it, SQLite does not).
-- Neither database widens a column the other's way, so the list moves to a TEXT column of the same name: add,
-- copy, drop, rename, all of which SQLite (3.35+) and PostgreSQL both run. No key is widened: values are copied.
ALTER TABLE api_keys ADD COLUMN scopes_list TEXT NOT NULL DEFAULT 'customers:read customers:write';
UPDATE api_keys SET scopes_list = scopes;
ALTER TABLE api_keys DROP COLUMN scopes;
ALTER TABLE api_keys RENAME COLUMN scopes_list TO scopes;
