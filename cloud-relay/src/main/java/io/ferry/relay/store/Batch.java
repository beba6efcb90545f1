package io.ferry.relay.store;

import io.ferry.protocol.Action;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code customer_batches}.
 *
 * @param apiKeyId the API key that sent the batch; its jobs carry it
 * @param action the job each record becomes: {@code customer.create}, {@code customer.update} or
 *     {@code customer.upsert}
 * @param stopOnFailure errorHandling {@code stop}: the first failed record ends the batch
 * @param total records read, valid or not
 * @param ignoredColumnsJson a JSON array of CSV columns the mapping left out; null when none
 * @param finishedAt when it became COMPLETED or STOPPED; null before
 */
public record Batch(
    String id,
    String tenantId,
    String apiKeyId,
    Action action,
    boolean stopOnFailure,
    BatchState state,
    int total,
    String ignoredColumnsJson,
    String traceparent,
    Instant createdAt,
    Instant finishedAt) {

  public Batch {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A batch whose body is about to be read. */
  public static Batch intake(String id, String tenantId, String apiKeyId, Action action, boolean stopOnFailure,
      String traceparent, Instant now) {
    return new Batch(id, tenantId, apiKeyId, action, stopOnFailure, BatchState.INTAKE, 0, null, traceparent, now, null);
  }
}
