package io.ferry.relay.http;

import io.ferry.relay.ratelimit.RateLimiter;
import io.javalin.http.Context;

/**
 * Applies the per-key rate limit to an engine request and advertises it, in the structured-field form
 * of draft-ietf-httpapi-ratelimit-headers-10: {@code RateLimit-Policy: "default";q=500;w=60} (quota
 * and window) and {@code RateLimit: "default";r=499;t=1} (remaining, and seconds until the quota is
 * whole again — or, with none left, until the next request is allowed), on every answer to an
 * authenticated request; a refused request is 429 with
 * {@code Retry-After}.
 */
final class RateLimits {

  static final String POLICY = "RateLimit-Policy";
  static final String STATE = "RateLimit";

  private final RateLimiter limiter;

  RateLimits(RateLimiter limiter) {
    this.limiter = limiter;
  }

  void apply(Context ctx, String apiKeyId) {
    if (!limiter.enabled()) {
      return;
    }
    RateLimiter.Decision d = limiter.take(apiKeyId);
    String policy = "\"default\";q=" + d.limit() + ";w=60";
    // t: while quota is left, the seconds until it is whole again; with none left, the seconds until the
    // next request is allowed — the Retry-After of a 429, so a client reading either waits the same.
    long reset = d.remaining() > 0 ? d.resetSeconds() : d.retryAfterSeconds();
    String state = "\"default\";r=" + d.remaining() + ";t=" + reset;
    ctx.header(POLICY, policy);
    ctx.header(STATE, state);
    if (!d.allowed()) {
      throw new ProblemException(ProblemType.RATE_LIMITED, "this API key may send " + d.limit()
          + " requests per minute (relay.rate-limit); try again in " + d.retryAfterSeconds() + " s")
          .header(Problems.RETRY_AFTER, Long.toString(d.retryAfterSeconds()))
          .header(POLICY, policy)
          .header(STATE, state);
    }
  }
}
