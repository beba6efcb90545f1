package io.ferry.relay.http;

import io.ferry.relay.auth.Scope;
import io.javalin.router.EndpointMetadata;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may call a route. Every route declares one where it is registered ({@link Routes}); {@link Guard}
 * checks it before the handler runs, and {@link HttpServer#routeTable()} reads it back from the running
 * router, so a test can prove each route refuses what it should. A route registered without one is a
 * start-up error, never an open route.
 *
 * @param kind which credential the route takes
 * @param anyOf for {@link Kind#API_KEY}: the key needs one of these scopes; empty: any valid key
 */
public record Access(Kind kind, Set<Scope> anyOf) implements EndpointMetadata {

  /** The credentials a route can take. */
  public enum Kind {
    /** No credential: the OpenAPI document, liveness and readiness, the console's static files. */
    NONE,
    /** A tenant's API key ({@code X-API-Key} or {@code Authorization: Bearer}) with one of the scopes. */
    API_KEY,
    /** An enrolled agent: a {@code Ferry-Session} or {@code Ferry-Agent} token, or its (deprecated) bearer key. */
    AGENT,
    /** An enrolled agent's {@code Ferry-Agent} token signed with its key: opens a session. */
    AGENT_SIGNATURE,
    /** A one-time enrollment token in the body; the handler checks it, as it is not in a header. */
    ENROLLMENT_TOKEN,
    /** Loopback callers, or relay.metrics.token as {@code Authorization: Bearer}; never a tenant's key. */
    METRICS
  }

  public Access {
    anyOf = anyOf.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(anyOf));
    if (kind != Kind.API_KEY && !anyOf.isEmpty()) {
      throw new IllegalArgumentException("only API keys have scopes");
    }
  }

  static Access none() {
    return new Access(Kind.NONE, Set.of());
  }

  /** An API key with one of {@code anyOf}; none named: any valid key of the tenant. */
  static Access apiKey(Scope... anyOf) {
    return new Access(Kind.API_KEY, Set.of(anyOf));
  }

  static Access admin() {
    return apiKey(Scope.ADMIN);
  }

  static Access agent() {
    return new Access(Kind.AGENT, Set.of());
  }

  static Access agentSignature() {
    return new Access(Kind.AGENT_SIGNATURE, Set.of());
  }

  static Access enrollmentToken() {
    return new Access(Kind.ENROLLMENT_TOKEN, Set.of());
  }

  static Access metrics() {
    return new Access(Kind.METRICS, Set.of());
  }

  /** As the route table in docs/security.md writes it: {@code API key: customers:read or customers:write}. */
  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "none";
      case API_KEY -> anyOf.isEmpty() ? "API key: any scope"
          : "API key: " + anyOf.stream().sorted().map(Scope::wireName).collect(Collectors.joining(" or "));
      case AGENT -> "agent";
      case AGENT_SIGNATURE -> "agent signature";
      case ENROLLMENT_TOKEN -> "enrollment token";
      case METRICS -> "metrics";
    };
  }
}
