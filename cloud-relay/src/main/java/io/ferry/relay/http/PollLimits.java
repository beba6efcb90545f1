package io.ferry.relay.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts each agent's polls in progress — from the moment its credentials are checked, while the body
 * arrives and while the poll is held, until it is answered — and refuses one over the limit
 * (relay.max-polls-per-agent). A newer poll of an agent still answers the older one at once (the
 * dispatcher's rule), so an agent that polls one at a time never meets the limit; an agent key used to
 * open polls by the dozen, or to hold connections with half-sent bodies, does.
 */
final class PollLimits {

  private final int max;
  private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();

  PollLimits(int max) {
    this.max = max;
  }

  /** Counts a poll of {@code agentId} in; false (nothing counted) when the agent is at the limit. */
  boolean tryAcquire(String agentId) {
    boolean[] taken = {false};
    inProgress.compute(agentId, (id, n) -> {
      int current = n == null ? 0 : n;
      if (current >= max) {
        return n;
      }
      taken[0] = true;
      return current + 1;
    });
    return taken[0];
  }

  /** Counts a poll out; the agent's entry goes when none is left. */
  void release(String agentId) {
    inProgress.computeIfPresent(agentId, (id, n) -> n <= 1 ? null : n - 1);
  }

  int inProgress(String agentId) {
    return inProgress.getOrDefault(agentId, 0);
  }

  int max() {
    return max;
  }
}
