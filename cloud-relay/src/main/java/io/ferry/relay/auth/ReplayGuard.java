package io.ferry.relay.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, in this relay process, the nonces of agent session tokens ({@code Ferry-Session}) while they
 * could still pass the freshness check, so a captured session header is good for one request here. Signed
 * tokens are not kept here but in the store (see {@link Authenticator}), which outlives a restart and is
 * shared by all relays; docs/security.md says why sessions stay in memory.
 *
 * <p>Bounded: at {@link #MAX_ENTRIES} the expired entries go, and if that is not enough, the half that
 * expires soonest — the tokens closest to failing the freshness check on their own. A flood cannot exhaust
 * memory; it can only shorten the memory of the oldest tokens, never open the freshness window.
 */
final class ReplayGuard {

  static final int MAX_ENTRIES = 200_000;
  private final Map<String, Instant> seen = new ConcurrentHashMap<>();
  private final int maxEntries;

  ReplayGuard() {
    this(MAX_ENTRIES);
  }

  ReplayGuard(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /**
   * True the first time {@code nonce} of {@code agentId} is presented; false for a replay. The nonce is
   * remembered until {@code until}, when its token fails the freshness check anyway.
   */
  boolean firstUse(String agentId, String nonce, Instant until, Instant now) {
    if (seen.size() >= maxEntries) {
      purge(now);
    }
    return seen.putIfAbsent(agentId + "." + nonce, until) == null;
  }

  int size() {
    return seen.size();
  }

  /** Whether the nonce is remembered (tests). */
  boolean remembers(String agentId, String nonce) {
    return seen.containsKey(agentId + "." + nonce);
  }

  private synchronized void purge(Instant now) {
    if (seen.size() < maxEntries) {
      return; // another thread purged meanwhile
    }
    seen.values().removeIf(until -> !until.isAfter(now));
    if (seen.size() >= maxEntries) {
      List<Instant> expiries = new ArrayList<>(seen.values());
      expiries.sort(null);
      Instant median = expiries.get(expiries.size() / 2);
      seen.values().removeIf(until -> until.isBefore(median));
      if (seen.size() >= maxEntries) { // many share the median instant: drop those too
        seen.values().removeIf(until -> !until.isAfter(median));
      }
    }
  }
}
