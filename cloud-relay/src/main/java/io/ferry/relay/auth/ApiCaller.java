package io.ferry.relay.auth;

/** Who called the engine API: the tenant (which jobs it may see) and the API key (its rate limit and webhook secret). */
public record ApiCaller(String tenantId, String apiKeyId) {}
