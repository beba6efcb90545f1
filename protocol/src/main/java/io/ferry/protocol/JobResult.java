package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an agent reports for one job attempt. Exactly one of {@code customer} (on success) and
 * {@code error} (on failure) is set.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobResult(
    int protocolVersion,
    String jobId,
    int attempt,
    Outcome outcome,
    Customer customer,
    JobError error) {

  public enum Outcome { SUCCEEDED, FAILED }

  public static JobResult succeeded(JobEnvelope job, Customer customer) {
    return new JobResult(Protocol.VERSION, job.jobId(), job.attempt(), Outcome.SUCCEEDED, customer, null);
  }

  public static JobResult failed(JobEnvelope job, JobError error) {
    return new JobResult(Protocol.VERSION, job.jobId(), job.attempt(), Outcome.FAILED, null, error);
  }
}
