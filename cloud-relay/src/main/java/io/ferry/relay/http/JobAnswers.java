package io.ferry.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerETag;
import io.ferry.protocol.JobError;
import io.ferry.protocol.Protocol;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.StoreException;
import java.time.Clock;
import java.time.Duration;

/**
 * What an engine hears about a job: 202 with an absolute status URL while it runs; once it ended,
 * exactly what the synchronous call would have answered.
 */
final class JobAnswers {

  static final String OPERATIONS = "/v1/operations/";
  private static final ObjectMapper JSON = Protocol.json();

  /** The body of a 202. */
  record OperationStatus(String id, String status, String action) {}

  private final Clock clock;

  JobAnswers(Clock clock) {
    this.clock = clock;
  }

  Answer answer(Job job, String baseUrl, String instance) {
    return job.state().isFinal() ? finalAnswer(job, instance) : accepted(job, baseUrl);
  }

  Answer accepted(Job job, String baseUrl) {
    String status = job.state() == JobState.LEASED ? "RUNNING" : "QUEUED";
    return Answer.json(202, new OperationStatus(job.id(), status, job.action().wireName()))
        .header("Location", baseUrl + OPERATIONS + job.id())
        .header(Problems.RETRY_AFTER, Long.toString(retryAfterSeconds(job)));
  }

  /** 1 s for a young job, rising to 5 s: quick answers stay quick, long ones are not hammered. */
  private long retryAfterSeconds(Job job) {
    long ageSeconds = Math.max(0, Duration.between(job.createdAt(), clock.instant()).toSeconds());
    return Math.max(1, Math.min(5, 1 + ageSeconds / 10));
  }

  private Answer finalAnswer(Job job, String instance) {
    return switch (job.state()) {
      case SUCCEEDED -> succeeded(job);
      case FAILED -> Problems.answer(Problems.forJobError(read(job.errorJson(), JobError.class)), instance);
      case EXPIRED -> Problems.answer(new ProblemException(ProblemType.JOB_EXPIRED,
          "no agent took job " + job.id() + " before its deadline " + job.deadline()
              + "; check that an agent of this tenant is running, then send the request again")
          .header(Problems.RETRY_AFTER, "30"), instance);
      case DEAD -> Problems.answer(new ProblemException(ProblemType.JOB_DEAD, deadDetail(job)), instance);
      case QUEUED, LEASED -> throw new IllegalStateException("job " + job.id() + " has not ended");
    };
  }

  private Answer succeeded(Job job) {
    Customer customer = read(job.resultJson(), Customer.class);
    String etag = CustomerETag.of(customer);
    if (job.action() == Action.CUSTOMER_CREATE) {
      return Answer.json(201, customer)
          .header("Location", "/v1/customers/" + customer.customerNumber())
          .header("ETag", etag);
    }
    return Answer.json(200, customer).header("ETag", etag);
  }

  private static String deadDetail(Job job) {
    String last = job.errorJson() == null ? null : read(job.errorJson(), JobError.class).message();
    return "job " + job.id() + " was taken " + job.attempt() + " time(s) and never finished"
        + (last == null ? "" : ": " + last)
        + ". The customer may or may not have been changed in SAP; check before sending the request again";
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored job result is not readable: " + e.getOriginalMessage(), e);
    }
  }
}
