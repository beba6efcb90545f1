package io.ferry.relay.ratelimit;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests per minute per API key, as a token bucket in memory: each key may burst up to its limit,
 * and gets tokens back at limit/60 per second. In memory because a limit is a courtesy to the relay,
 * not a bill: after a restart every key starts with a full bucket, and each relay instance of a
 * scaled-out deployment counts on its own.
 */
public final class RateLimiter {

  private static final long WINDOW_NANOS = 60_000_000_000L;

  private final int perMinute;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** @param perMinute requests per minute and key; 0 lets everything through */
  public RateLimiter(int perMinute, Clock clock) {
    this.perMinute = perMinute;
    this.clock = clock;
  }

  public boolean enabled() {
    return perMinute > 0;
  }

  public int perMinute() {
    return perMinute;
  }

  /** Takes one token for {@code apiKeyId}, if there is one. */
  public Decision take(String apiKeyId) {
    if (!enabled()) {
      return new Decision(true, 0, 0, 0, 0);
    }
    long now = nanos();
    Bucket bucket = buckets.computeIfAbsent(apiKeyId, k -> new Bucket(perMinute, now));
    synchronized (bucket) {
      bucket.refill(now, perMinute);
      boolean allowed = bucket.tokens >= 1.0;
      if (allowed) {
        bucket.tokens -= 1.0;
      }
      double perNano = perMinute / (double) WINDOW_NANOS;
      long untilFull = secondsCeil((perMinute - bucket.tokens) / perNano);
      long untilNext = bucket.tokens >= 1.0 ? 0 : Math.max(1, secondsCeil((1.0 - bucket.tokens) / perNano));
      return new Decision(allowed, perMinute, (int) Math.floor(bucket.tokens), untilFull, untilNext);
    }
  }

  private long nanos() {
    // The injected clock, so tests move time instead of waiting for tokens to come back.
    var instant = clock.instant();
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  private static long secondsCeil(double nanos) {
    return (long) Math.ceil(nanos / 1_000_000_000.0);
  }

  /**
   * The outcome of one request.
   *
   * @param remaining whole tokens left after this request
   * @param resetSeconds until the bucket is full again
   * @param retryAfterSeconds until the next token; 0 while there is one
   */
  public record Decision(boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {}

  private static final class Bucket {
    double tokens;
    long updatedNanos;

    Bucket(int capacity, long now) {
      this.tokens = capacity;
      this.updatedNanos = now;
    }

    void refill(long now, int capacity) {
      long elapsed = now - updatedNanos;
      if (elapsed > 0) {
        tokens = Math.min(capacity, tokens + elapsed * (capacity / (double) WINDOW_NANOS));
        updatedNanos = now;
      }
    }
  }
}
