package io.ferry.relay.auth;

import java.util.Set;

/**
 * Who called the engine or admin API: the tenant (which jobs, keys and agents it may see), the API
 * key (its rate limit and webhook secret) and what the key may do.
 */
public record ApiCaller(String tenantId, String apiKeyId, Set<Scope> scopes) {

  public ApiCaller {
    scopes = Set.copyOf(scopes);
  }

  public boolean may(Scope scope) {
    return scopes.contains(scope);
  }
}
