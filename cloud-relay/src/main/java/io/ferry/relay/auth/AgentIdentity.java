package io.ferry.relay.auth;

/**
 * Who an authenticated agent is: the tenant and group it serves fix which jobs it may see.
 *
 * @param session the agent session the request was made in (its name), or null for a request signed with the
 *     agent's key or made with a bearer key: the jobs handed to a request in a session are signed with the
 *     session's secret
 */
public record AgentIdentity(String agentId, String tenantId, String agentGroup, String session) {

  /** Outside a session. */
  public AgentIdentity(String agentId, String tenantId, String agentGroup) {
    this(agentId, tenantId, agentGroup, null);
  }
}
