package io.ferry.relay.dispatch;

import io.ferry.protocol.Action;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls parked until a job arrives. A parked poll is a small object and an uncompleted future,
 * no thread, so thousands of idle agents cost little. Waking completes the oldest poll of the
 * tenant that may take the job: one wake per queued job, no thundering herd.
 */
final class PollWaiters {

  /** Told of every wake-up: a job of the tenant (and group; null for any) may be waiting in the queue. */
  private volatile java.util.function.BiConsumer<String, String> queuedListener = (tenant, group) -> { };

  void onWake(java.util.function.BiConsumer<String, String> listener) {
    this.queuedListener = listener;
  }


  static final class Waiter {
    /** Order of arrival: the longest-parked poll of a tenant is woken first. */
    final long seq;
    final String agentId;
    final String tenantId;
    final String agentGroup;
    /** The actions the poll's agent can read; null for every action. */
    final Set<Action> readable;
    final CompletableFuture<Signal> signal = new CompletableFuture<>();
    /** After {@link Signal#HANDED}: the job handed to this poll, leased to its agent, or null if none came. */
    final CompletableFuture<io.ferry.relay.store.Job> handoff = new CompletableFuture<>();

    Waiter(long seq, String agentId, String tenantId, String agentGroup, Set<Action> readable) {
      this.seq = seq;
      this.agentId = agentId;
      this.tenantId = tenantId;
      this.agentGroup = agentGroup;
      this.readable = readable;
    }

    boolean mayTake(String jobGroup) {
      return jobGroup == null || jobGroup.equals(agentGroup);
    }

    /** Whether this poll may take a job of {@code jobGroup} and {@code action} (null: any action). */
    boolean mayTake(String jobGroup, Action action) {
      return mayTake(jobGroup) && (action == null || readable == null || readable.contains(action));
    }

    boolean wasWoken() {
      return signal.getNow(null) == Signal.WOKEN;
    }

    /** Ends the wait (if nothing else did) and says why it ended: a hand-off that came first still counts. */
    Signal settle() {
      signal.complete(Signal.TIMEOUT);
      return signal.join();
    }
  }

  /**
   * A tenant's parked polls in order of arrival. A sorted map rather than a queue: a poll leaves from anywhere in
   * it (answered, timed out), and a fleet parks thousands — removal by key, not by a scan.
   */
  private final Map<String, ConcurrentSkipListMap<Long, Waiter>> byTenant = new ConcurrentHashMap<>();
  private final AtomicLong arrivals = new AtomicLong();
  /**
   * An agent has one poll open at a time. A newer poll from the same agent means the older one's
   * connection is gone (the agent timed out or restarted): waking that one would lease a job to a
   * dead socket, and the job would sit out a whole lease before it came back.
   */
  private final Map<String, Waiter> byAgent = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private volatile boolean closed;

  /** Parks a poll. After {@link #closeAll()} the waiter comes back already CLOSED. */
  Waiter register(String agentId, String tenantId, String agentGroup) {
    return register(agentId, tenantId, agentGroup, null);
  }

  /** As {@link #register(String, String, String)}, for an agent that can read only {@code readable} (null: all). */
  Waiter register(String agentId, String tenantId, String agentGroup, Set<Action> readable) {
    Waiter w = new Waiter(arrivals.incrementAndGet(), agentId, tenantId, agentGroup, readable);
    Waiter older = byAgent.put(agentId, w);
    if (older != null) {
      older.signal.complete(Signal.CLOSED);
    }
    byTenant.computeIfAbsent(tenantId, t -> new ConcurrentSkipListMap<>()).put(w.seq, w);
    size.incrementAndGet();
    if (closed) {
      w.signal.complete(Signal.CLOSED);
    }
    return w;
  }

  /**
   * Runs of agents that said they stop (see {@code PollRequest.runId}), with when they said it. A poll
   * of such a run can still arrive after the goodbye (it travelled on another connection); it must not
   * park and take a job. Stopping is rare, so the map stays small; entries go after a while.
   */
  private final Map<String, Long> stoppedRuns = new ConcurrentHashMap<>();
  private static final long STOPPED_RUN_MEMORY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

  /** The agent said it stops polling: its parked poll must not be handed a job any more. */
  void release(String agentId, String runId) {
    if (runId != null && !runId.isBlank()) {
      long now = System.nanoTime();
      stoppedRuns.values().removeIf(at -> now - at > STOPPED_RUN_MEMORY_NANOS);
      stoppedRuns.put(runId, now);
    }
    Waiter w = byAgent.get(agentId);
    if (w != null) {
      w.signal.complete(Signal.CLOSED);
    }
  }

  /** Whether this run of an agent has said it stops polling. */
  boolean isStopped(String runId) {
    return runId != null && stoppedRuns.containsKey(runId);
  }

  void remove(Waiter w) {
    byAgent.remove(w.agentId, w);
    ConcurrentSkipListMap<Long, Waiter> queue = byTenant.get(w.tenantId);
    if (queue != null && queue.remove(w.seq, w)) {
      size.decrementAndGet();
    }
  }

  /** Wakes the longest-parked poll that may take a job of {@code jobGroup}; false when none waits. */
  boolean wakeOne(String tenantId, String jobGroup) {
    return wakeOne(tenantId, jobGroup, null);
  }

  /** As {@link #wakeOne(String, String)}, for a job of {@code action}: a poll whose agent cannot read it is left. */
  boolean wakeOne(String tenantId, String jobGroup, Action action) {
    queuedListener.accept(tenantId, jobGroup);
    ConcurrentSkipListMap<Long, Waiter> queue = byTenant.get(tenantId);
    if (queue == null) {
      return false;
    }
    for (Waiter w : queue.values()) {
      // complete() is the arbiter: a poll whose hold just ran out cannot also be woken.
      if (w.mayTake(jobGroup, action) && w.signal.complete(Signal.WOKEN)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Takes the longest-parked poll that may take a new job of {@code jobGroup}, for the job to be handed to
   * it directly (see {@link Signal#HANDED}); null when none waits. The caller must complete the waiter's
   * {@code handoff}, with the job or null.
   */
  Waiter reserve(String tenantId, String jobGroup, Action action) {
    ConcurrentSkipListMap<Long, Waiter> queue = byTenant.get(tenantId);
    if (queue == null) {
      return null;
    }
    for (Waiter w : queue.values()) {
      if (w.mayTake(jobGroup, action) && w.signal.complete(Signal.HANDED)) {
        return w;
      }
    }
    return null;
  }

  void closeAll() {
    closed = true;
    byTenant.values().forEach(queue -> queue.values().forEach(w -> w.signal.complete(Signal.CLOSED)));
  }

  int size() {
    return size.get();
  }
}
