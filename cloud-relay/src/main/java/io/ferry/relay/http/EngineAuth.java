package io.ferry.relay.http;

import io.ferry.protocol.AgentSession;
import io.ferry.protocol.AgentSessionToken;
import io.ferry.protocol.AgentToken;
import io.ferry.relay.auth.AgentIdentity;
import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.auth.Authenticator;
import io.ferry.relay.auth.Scope;
import java.util.Arrays;
import java.util.stream.Collectors;
import io.javalin.http.Context;
import java.util.Locale;

/** Reads credentials from requests: API keys for engines, agent keys for agents. */
final class EngineAuth {

  static final String API_KEY_HEADER = "X-API-Key";
  static final String AUTHORIZATION = "Authorization";

  private final Authenticator authenticator;

  EngineAuth(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** The tenant and key of the request's API key ({@code X-API-Key} or {@code Authorization: Bearer}); else 401. */
  ApiCaller caller(Context ctx) {
    String key = SingleHeaders.value(ctx, API_KEY_HEADER);
    String bearer = bearer(ctx);
    if (key != null && !key.isBlank() && bearer != null && !bearer.isBlank() && !bearer.strip().equals(key.strip())) {
      // Two keys: a proxy may have added one; answering with either would act for a caller that may not be this one.
      throw SingleHeaders.ambiguous("Authorization", "carries another API key than " + API_KEY_HEADER
          + "; send the key in one of them");
    }
    if (key == null || key.isBlank()) {
      key = bearer;
    }
    if (key == null || key.isBlank()) {
      throw new ProblemException(ProblemType.MISSING_API_KEY,
          "send the tenant's API key in the X-API-Key header or as Authorization: Bearer <key>")
          .header("WWW-Authenticate", "Bearer realm=\"ferry\"");
    }
    return authenticator.callerOfApiKey(key.trim()).orElseThrow(() -> new ProblemException(
        ProblemType.INVALID_API_KEY, "the API key is unknown or revoked; ask the relay's operator for a new one")
        .header("WWW-Authenticate", "Bearer realm=\"ferry\", error=\"invalid_token\""));
  }

  /**
   * 403 unless the caller's key has one of {@code anyOf} (RFC 6750's {@code insufficient_scope}); the
   * problem names the missing scope. No scopes: nothing is required.
   */
  static void requireScope(ApiCaller caller, Scope... anyOf) {
    if (anyOf.length == 0 || Arrays.stream(anyOf).anyMatch(caller::may)) {
      return;
    }
    String needed = Arrays.stream(anyOf).map(Scope::wireName).collect(Collectors.joining(" or "));
    throw new ProblemException(ProblemType.INSUFFICIENT_SCOPE, "this API key lacks the scope " + needed
        + " (it has: " + (caller.scopes().isEmpty() ? "none" : Scope.join(caller.scopes()))
        + "); ask the tenant's administrator for a key with that scope")
        .header("WWW-Authenticate", "Bearer realm=\"ferry\", error=\"insufficient_scope\", scope=\""
            + Arrays.stream(anyOf).map(Scope::wireName).collect(Collectors.joining(" ")) + "\"");
  }

  /**
   * The agent of the request: a {@code Ferry-Agent} token signed with the agent's key for this method
   * and path, or (deprecated, agents enrolled without a key pair) {@code Authorization: Bearer <agentKey>};
   * else 401.
   */
  AgentIdentity agent(Context ctx) {
    String authorization = SingleHeaders.value(ctx, AUTHORIZATION);
    if (AgentSessionToken.isScheme(authorization)) {
      return authenticator.agentOfSession(authorization.strip(), ctx.method().name(), ctx.path())
          .orElseThrow(() -> new ProblemException(ProblemType.INVALID_AGENT_KEY,
              "the agent's session token is not valid: wrong MAC, its session ended or was opened with a key the "
                  + "agent no longer has, issued more than " + AgentToken.MAX_SKEW.toMinutes() + " minutes from the "
                  + "relay's clock, used before, or the agent is unknown or disabled; the agent opens a new session "
                  + "by itself")
              .header("WWW-Authenticate", AgentSessionToken.SCHEME + " realm=\"ferry-agent\", error=\"invalid_token\""));
    }
    if (authorization != null && authorization.regionMatches(true, 0, AgentToken.SCHEME + " ", 0,
        AgentToken.SCHEME.length() + 1)) {
      return authenticator.agentOfToken(authorization.strip(), ctx.method().name(), ctx.path())
          .orElseThrow(() -> new ProblemException(ProblemType.INVALID_AGENT_KEY,
              "the agent token is not valid: wrong signature, issued more than "
                  + AgentToken.MAX_SKEW.toMinutes() + " minutes from the relay's clock, used before, or the agent "
                  + "is unknown or disabled; check the host's clock, or enroll the agent again")
              .header("WWW-Authenticate", AgentToken.SCHEME + " realm=\"ferry-agent\", error=\"invalid_token\""));
    }
    String key = bearer(ctx);
    if (key == null || key.isBlank()) {
      throw new ProblemException(ProblemType.INVALID_AGENT_KEY,
          "send a token signed with the agent's key (Authorization: Ferry-Agent …) or the agent key from "
              + "enrollment as Authorization: Bearer <key>")
          .header("WWW-Authenticate", AgentToken.SCHEME + " realm=\"ferry-agent\"");
    }
    return authenticator.agentOfKey(key.trim()).orElseThrow(() -> new ProblemException(
        ProblemType.INVALID_AGENT_KEY, "the agent key is unknown or the agent was disabled; enroll the agent again with a new token")
        .header("WWW-Authenticate", "Bearer realm=\"ferry-agent\", error=\"invalid_token\""));
  }

  /**
   * A new session for the agent whose {@code Ferry-Agent} token signs this request; only a signature
   * opens one, neither a session nor a bearer key.
   */
  AgentSession openSession(Context ctx) {
    String authorization = SingleHeaders.value(ctx, AUTHORIZATION);
    if (authorization == null || !authorization.regionMatches(true, 0, AgentToken.SCHEME + " ", 0,
        AgentToken.SCHEME.length() + 1)) {
      throw new ProblemException(ProblemType.INVALID_AGENT_KEY,
          "a session is opened with a token signed with the agent's key (Authorization: Ferry-Agent …); agents "
              + "enrolled with a bearer agent key have no sessions: move them to a key pair with ferry agent rotate-key")
          .header("WWW-Authenticate", AgentToken.SCHEME + " realm=\"ferry-agent\"");
    }
    return authenticator.openSession(authorization.strip(), ctx.method().name(), ctx.path())
        .orElseThrow(() -> new ProblemException(ProblemType.INVALID_AGENT_KEY,
            "the agent token is not valid: wrong signature, issued more than " + AgentToken.MAX_SKEW.toMinutes()
                + " minutes from the relay's clock, used before, or the agent is unknown or disabled; check the "
                + "host's clock, or enroll the agent again")
            .header("WWW-Authenticate", AgentToken.SCHEME + " realm=\"ferry-agent\", error=\"invalid_token\""));
  }

  private static String bearer(Context ctx) {
    String authorization = SingleHeaders.value(ctx, AUTHORIZATION);
    if (authorization != null && authorization.length() > 7
        && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return authorization.substring(7);
    }
    return null;
  }
}
