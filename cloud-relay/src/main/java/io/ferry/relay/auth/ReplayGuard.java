package io.ferry.relay.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the nonces of agent tokens while they could still pass the freshness check, so a captured
 * token is good for one request only. Bounded: beyond {@link #MAX_ENTRIES} the oldest half is dropped
 * (a flood cannot exhaust memory; it can only shorten the memory, never open the freshness window).
 */
final class ReplayGuard {

  static final int MAX_ENTRIES = 200_000;
  private final Map<String, Instant> seen = new ConcurrentHashMap<>();
  private final Duration remember;

  ReplayGuard(Duration remember) {
    this.remember = remember;
  }

  /** True the first time {@code nonce} of {@code agentId} is presented; false for a replay. */
  boolean firstUse(String agentId, String nonce, Instant now) {
    if (seen.size() >= MAX_ENTRIES) {
      purge(now);
    }
    return seen.putIfAbsent(agentId + "." + nonce, now.plus(remember)) == null;
  }

  private void purge(Instant now) {
    seen.values().removeIf(until -> until.isBefore(now));
    if (seen.size() >= MAX_ENTRIES) {
      Iterator<String> it = seen.keySet().iterator();
      for (int i = 0; i < MAX_ENTRIES / 2 && it.hasNext(); i++) {
        it.next();
        it.remove();
      }
    }
  }
}
