package io.ferry.relay.dispatch;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Engine requests waiting, within their sync window, for a job to end. Registered before the job is
 * inserted, so a result can never arrive unseen between the insert and the wait. A wait ends with how the
 * job ended, when this relay accepted the result itself, or with null: read the job from the store then
 * (another relay ended it, a lapsed lease, the relay stops).
 */
final class ResultWaiters {

  /** How a job ended, as this relay accepted it: enough to answer without reading the job back. */
  record Ending(String agentId, int attempt, io.ferry.relay.store.JobState state, String resultJson, String errorJson,
      java.time.Instant at) {}

  private final Map<String, CompletableFuture<Ending>> byJob = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * A future completed when the job ends (or the relay shuts down). Each caller gets its own copy,
   * so one caller's timeout does not complete another's wait.
   */
  CompletableFuture<Ending> register(String jobId) {
    CompletableFuture<Ending> shared = byJob.computeIfAbsent(jobId, id -> new CompletableFuture<>());
    if (closed) {
      shared.complete(null);
    }
    return shared.copy();
  }

  /** The job reached a final state. Entries live until then, which every job does. */
  void finished(String jobId) {
    finished(jobId, null);
  }

  /** The job reached a final state as {@code ending} says (null: read it from the store). */
  void finished(String jobId, Ending ending) {
    CompletableFuture<Ending> shared = byJob.remove(jobId);
    if (shared != null) {
      shared.complete(ending);
    }
  }

  /** The job was never stored. */
  void forget(String jobId) {
    byJob.remove(jobId);
  }

  /** The jobs engine requests wait for right now. */
  java.util.Set<String> waiting() {
    return java.util.Set.copyOf(byJob.keySet());
  }

  void closeAll() {
    closed = true;
    byJob.values().forEach(f -> f.complete(null));
    byJob.clear();
  }
}
