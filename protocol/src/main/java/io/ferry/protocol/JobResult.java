package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an agent reports for one job attempt. On failure {@code error} is set; on success
 * {@code customer} (with {@code effect} for an upsert), or {@code page} for a search.
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
    CustomerPage page) {

  public enum Outcome { SUCCEEDED, FAILED }

  /** What an upsert did in SAP; absent for other actions. */
  public enum Effect { CREATED, UPDATED }

  public static JobResult succeeded(JobEnvelope job, Customer customer) {
    return new JobResult(Protocol.VERSION, job.jobId(), job.attempt(), Outcome.SUCCEEDED, customer, null, null, null);
  }

  /** An upsert's result: the customer and whether SAP created or changed it. */
  public static JobResult upserted(JobEnvelope job, Customer customer, Effect effect) {
    return new JobResult(Protocol.VERSION, job.jobId(), job.attempt(), Outcome.SUCCEEDED, customer, null, effect, null);
  }

  /** A search's result: one page of customers. */
  public static JobResult found(JobEnvelope job, CustomerPage page) {
    return new JobResult(Protocol.VERSION, job.jobId(), job.attempt(), Outcome.SUCCEEDED, null, null, null, page);
  }

  /** The same result, reported for another attempt (the relay delivered the job again). */
  public JobResult forAttempt(int newAttempt) {
    return new JobResult(protocolVersion, jobId, newAttempt, outcome, customer, error, effect, page);
  }

  public static JobResult failed(JobEnvelope job, JobError error) {
    return new JobResult(Protocol.VERSION, job.jobId(), job.attempt(), Outcome.FAILED, null, error, null, null);
  }
}
