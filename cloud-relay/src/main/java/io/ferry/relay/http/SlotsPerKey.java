package io.ferry.relay.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts requests in progress per key and refuses one over the limit. Two limits use it:
 *
 * <ul>
 *   <li>each agent's polls (relay.max-polls-per-agent), from the moment its credentials are checked, while
 *       the body arrives and while the poll is held, until it is answered. A newer poll of an agent still
 *       answers the older one at once (the dispatcher's rule), so an agent that polls one at a time never
 *       meets the limit; an agent key used to open polls by the dozen, or to hold connections with half-sent
 *       bodies, does;
 *   <li>requests without a credential in a header, per client address
 *       (relay.max-unauthenticated-per-address). Such a request can only be told from an attack after its
 *       body is read (an enrollment's token is in the body), so the number one address may keep open at
 *       once bounds a client that opens them by the hundred and sends their bodies a byte at a time.
 *       Requests with credentials are checked before their body is read and not counted: agents behind one
 *       NAT address poll freely.
 * </ul>
 */
final class SlotsPerKey {

  private final int max;
  private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();

  SlotsPerKey(int max) {
    this.max = max;
  }

  /** Counts a request of {@code key} in; false (nothing counted) when the key is at the limit. */
  boolean tryAcquire(String key) {
    boolean[] taken = {false};
    inProgress.compute(key, (k, n) -> {
      int current = n == null ? 0 : n;
      if (current >= max) {
        return n;
      }
      taken[0] = true;
      return current + 1;
    });
    return taken[0];
  }

  /** Counts a request out; the key's entry goes when none is left. */
  void release(String key) {
    inProgress.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }

  int inProgress(String key) {
    return inProgress.getOrDefault(key, 0);
  }

  int max() {
    return max;
  }
}
