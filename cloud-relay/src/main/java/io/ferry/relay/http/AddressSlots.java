package io.ferry.relay.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the requests in progress that carry no credential in a header, per client address, and
 * refuses one over the limit (relay.max-unauthenticated-per-address). Such a request can only be told
 * from an attack after its body is read (an enrollment's token is in the body), so the number one
 * address may keep open at once is what bounds a client that opens them by the hundred and sends
 * their bodies a byte at a time. Requests with credentials are checked before their body is read and
 * not counted here: agents behind one NAT address poll freely.
 */
final class AddressSlots {

  private final int max;
  private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();

  AddressSlots(int max) {
    this.max = max;
  }

  /** Counts a request from {@code address} in; false (nothing counted) when the address is at the limit. */
  boolean tryAcquire(String address) {
    boolean[] taken = {false};
    inProgress.compute(address, (a, n) -> {
      int current = n == null ? 0 : n;
      if (current >= max) {
        return n;
      }
      taken[0] = true;
      return current + 1;
    });
    return taken[0];
  }

  /** Counts a request out; the address's entry goes when none is left. */
  void release(String address) {
    inProgress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  int inProgress(String address) {
    return inProgress.getOrDefault(address, 0);
  }

  int max() {
    return max;
  }
}
