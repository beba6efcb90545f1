package io.ferry.relay.http;

import io.ferry.protocol.AgentSession;
import io.ferry.relay.auth.AgentIdentity;
import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.auth.Scope;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Enforces a route's {@link Access} before its handler runs, so a handler cannot forget it: the handler
 * reads who called from the request ({@link #caller}, {@link #agent}, {@link #session}), which only a
 * passed check puts there. Credentials in headers are checked before any body is read.
 */
final class Guard {

  private static final String CALLER = "ferry.access.caller";
  private static final String AGENT = "ferry.access.agent";
  private static final String SESSION = "ferry.access.session";
  /** The tenant of the key or agent once authenticated, before the rate limit and scope checks. */
  private static final String TENANT = "ferry.access.tenant";

  private final EngineAuth auth;
  private final RateLimits rateLimits;

  Guard(EngineAuth auth, RateLimits rateLimits) {
    this.auth = auth;
    this.rateLimits = rateLimits;
  }

  /** {@code handler}, run only once the request passes {@code access}. */
  Handler guard(Access access, Handler handler) {
    return switch (access.kind()) {
      // The enrollment token is in the body and the metrics check is the operator's: both handlers check.
      case NONE, ENROLLMENT_TOKEN, METRICS -> handler;
      case API_KEY -> {
        Scope[] anyOf = access.anyOf().stream().sorted().toArray(Scope[]::new);
        yield ctx -> {
          // Authenticated, then counted against the key's rate limit, then its scope: as before tables.
          ApiCaller caller = auth.caller(ctx);
          ctx.attribute(TENANT, caller.tenantId()); // for the access log, also when the limit or scope refuses
          rateLimits.apply(ctx, caller.apiKeyId());
          EngineAuth.requireScope(caller, anyOf);
          ctx.attribute(CALLER, caller);
          handler.handle(ctx);
        };
      }
      case AGENT -> ctx -> {
        AgentIdentity agent = auth.agent(ctx);
        ctx.attribute(AGENT, agent);
        ctx.attribute(TENANT, agent.tenantId());
        handler.handle(ctx);
      };
      case AGENT_SIGNATURE -> ctx -> {
        ctx.attribute(SESSION, auth.openSession(ctx));
        handler.handle(ctx);
      };
    };
  }

  /** The API key's tenant, key and scopes, on a route of {@link Access.Kind#API_KEY}. */
  static ApiCaller caller(Context ctx) {
    return passed(ctx, CALLER);
  }

  /** The agent, on a route of {@link Access.Kind#AGENT}. */
  static AgentIdentity agent(Context ctx) {
    return passed(ctx, AGENT);
  }

  /** The agent whose upgrade to a WebSocket passed a route of {@link Access.Kind#AGENT}. */
  static AgentIdentity agentOfUpgrade(io.javalin.websocket.WsContext ctx) {
    AgentIdentity agent = ctx.attribute(AGENT);
    if (agent == null) {
      throw new IllegalStateException("a WebSocket opened without its upgrade passing an agent route's check");
    }
    return agent;
  }

  /** The session just opened, on a route of {@link Access.Kind#AGENT_SIGNATURE}. */
  static AgentSession session(Context ctx) {
    return passed(ctx, SESSION);
  }

  /** The tenant of the request's API key or agent once authenticated; null before or without one (the access log's). */
  static String tenantOrNull(Context ctx) {
    return ctx.attribute(TENANT);
  }

  /** The agent that called, once checked; null on other routes. */
  static String agentOrNull(Context ctx) {
    AgentIdentity agent = ctx.attribute(AGENT);
    return agent != null ? agent.agentId() : null;
  }

  private static <T> T passed(Context ctx, String attribute) {
    T value = ctx.attribute(attribute);
    if (value == null) {
      // A handler asks for a credential its route does not declare: a programming error, never an open door.
      throw new IllegalStateException(ctx.method() + " " + Routes.template(ctx)
          + " reads a credential its Access in Routes does not check");
    }
    return value;
  }
}
