package io.ferry.relay.auth;

/** Who an authenticated agent is: the tenant and group it serves fix which jobs it may see. */
public record AgentIdentity(String agentId, String tenantId, String agentGroup) {}
