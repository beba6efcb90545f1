package io.ferry.relay.dispatch;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Engine requests waiting, within their sync window, for a job to end. Registered before the job is
 * inserted, so a result can never arrive unseen between the insert and the wait.
 */
final class ResultWaiters {

  private final Map<String, CompletableFuture<Void>> byJob = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * A future completed when the job ends (or the relay shuts down). Each caller gets its own copy,
   * so one caller's timeout does not complete another's wait.
   */
  CompletableFuture<Void> register(String jobId) {
    CompletableFuture<Void> shared = byJob.computeIfAbsent(jobId, id -> new CompletableFuture<>());
    if (closed) {
      shared.complete(null);
    }
    return shared.copy();
  }

  /** The job reached a final state. Entries live until then, which every job does. */
  void finished(String jobId) {
    CompletableFuture<Void> shared = byJob.remove(jobId);
    if (shared != null) {
      shared.complete(null);
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
