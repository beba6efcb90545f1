package io.ferry.relay.auth;

import java.util.Set;

/**
 * Who called the engine or admin API: the tenant (which jobs, keys and agents it may see), the API
 * key (its rate limit and webhook secret), what the key may do, and which functions and OData services it is
 * restricted to.
 */
public record ApiCaller(String tenantId, String apiKeyId, Set<Scope> scopes, KeyRestriction restriction) {

  public ApiCaller {
    scopes = Set.copyOf(scopes);
    restriction = restriction == null ? KeyRestriction.NONE : restriction;
  }

  /** A caller whose key is restricted to nothing beyond its scopes. */
  public ApiCaller(String tenantId, String apiKeyId, Set<Scope> scopes) {
    this(tenantId, apiKeyId, scopes, KeyRestriction.NONE);
  }

  public boolean may(Scope scope) {
    return scopes.contains(scope);
  }
}
