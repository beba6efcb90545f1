-- last_seen changes with every heartbeat an agent's relay writes (a fleet of idle agents: hundreds a second), and
-- as a column of this index each change moved the agent's entry: a page more in every batch of sightings. The one
-- query it served (the newest sighting of a tenant's agents, with left_at IS NULL) reads each agent's row anyway.
DROP INDEX agents_by_tenant;
CREATE INDEX agents_by_tenant ON agents (tenant_id, agent_group);
