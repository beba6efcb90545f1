package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an agent reports for one job attempt. On failure {@code error} is set; on success
 * {@code customer} (with {@code effect} for an upsert), {@code page} for a search, or {@code output} for an
 * action that {@linkplain Action#carriesPayload() carries a payload} (a sales order: the order as SAP made or
 * holds it). {@code output} was added in protocol version 1 as an optional field.
 *
 * <p>{@code traceparent} is the job's W3C trace context ({@link JobEnvelope#traceparent()}), kept with the
 * result in the agent's outbox so that the result's delivery, whenever it happens, is sent with a
 * {@code traceparent} header of the same trace. Added in protocol version 1 as an optional field: a relay
 * that predates it ignores it, and the relay never trusts it for anything but log correlation.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobResult(
    int protocolVersion,
    String jobId,
    int attempt,
    Outcome outcome,
    Customer customer,
    JobError error,
    Effect effect,
    CustomerPage page,
    JsonNode output,
    String traceparent) {

  /** A result without trace context. */
  public JobResult(int protocolVersion, String jobId, int attempt, Outcome outcome, Customer customer, JobError error,
      Effect effect, CustomerPage page) {
    this(protocolVersion, jobId, attempt, outcome, customer, error, effect, page, null, null);
  }

  public enum Outcome { SUCCEEDED, FAILED }

  /** What an upsert did in SAP; absent for other actions. */
  public enum Effect { CREATED, UPDATED }

  public static JobResult succeeded(JobEnvelope job, Customer customer) {
    return new JobResult(Protocol.VERSION, job.jobId(), job.attempt(), Outcome.SUCCEEDED, customer, null, null, null, null,
        job.traceparent());
  }

  /** An upsert's result: the customer and whether SAP created or changed it. */
  public static JobResult upserted(JobEnvelope job, Customer customer, Effect effect) {
    return new JobResult(Protocol.VERSION, job.jobId(), job.attempt(), Outcome.SUCCEEDED, customer, null, effect, null, null,
        job.traceparent());
  }

  /** A search's result: one page of customers. */
  public static JobResult found(JobEnvelope job, CustomerPage page) {
    return new JobResult(Protocol.VERSION, job.jobId(), job.attempt(), Outcome.SUCCEEDED, null, null, null, page, null,
        job.traceparent());
  }

  /** The result of an action that carries a payload: what SAP made or holds, as that object's JSON. */
  public static JobResult produced(JobEnvelope job, JsonNode output) {
    return new JobResult(Protocol.VERSION, job.jobId(), job.attempt(), Outcome.SUCCEEDED, null, null, null, null,
        output, job.traceparent());
  }

  /** The same result, reported for another attempt (the relay delivered the job again). */
  public JobResult forAttempt(int newAttempt) {
    return new JobResult(protocolVersion, jobId, newAttempt, outcome, customer, error, effect, page, output,
        traceparent);
  }

  public static JobResult failed(JobEnvelope job, JobError error) {
    return new JobResult(Protocol.VERSION, job.jobId(), job.attempt(), Outcome.FAILED, null, error, null, null, null,
        job.traceparent());
  }
}
