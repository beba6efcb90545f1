package io.ferry.relay.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerETag;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SearchQuery;
import io.ferry.relay.dispatch.JobOutput;
import io.ferry.relay.dispatch.JobRequest;
import io.ferry.relay.objects.BusinessObject;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.StoreException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What an engine hears about a job: 202 with an absolute status URL while it runs; once it ended,
 * exactly what the synchronous call would have answered.
 */
final class JobAnswers {

  static final String OPERATIONS = "/v1/operations/";
  static final String CUSTOMERS = "/v1/customers";
  /** Says what an upsert did: {@code created} (with 201) or {@code updated} (with 200). */
  static final String UPSERT_HEADER = "Ferry-Upsert";
  private static final ObjectMapper JSON = Protocol.json();

  /** The body of a 202. */
  record OperationStatus(String id, String status, String action) {}

  /**
   * The body of a list: the page's customers under {@code value} (always there, maybe empty) and the
   * absolute URL of the next page, left out on the last one.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CustomerList(List<Customer> value, String nextLink) {}

  private final Clock clock;

  JobAnswers(Clock clock) {
    this.clock = clock;
  }

  Answer answer(Job job, String baseUrl, String instance) {
    return job.state().isFinal() ? finalAnswer(job, baseUrl, instance) : accepted(job, baseUrl);
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

  private Answer finalAnswer(Job job, String baseUrl, String instance) {
    return switch (job.state()) {
      case SUCCEEDED -> succeeded(job, baseUrl);
      case FAILED -> Problems.answer(Problems.forJobError(BusinessObject.of(job.action()),
          read(job.errorJson(), JobError.class)), instance);
      case EXPIRED -> Problems.answer(new ProblemException(ProblemType.JOB_EXPIRED,
          "no agent took job " + job.id() + " before its deadline " + job.deadline()
              + "; check that an agent of this tenant is running, then send the request again")
          .header(Problems.RETRY_AFTER, "30"), instance);
      case DEAD -> Problems.answer(new ProblemException(ProblemType.JOB_DEAD, deadDetail(job)), instance);
      case CANCELLED -> Problems.answer(new ProblemException(ProblemType.JOB_CANCELLED,
          "an administrator of this tenant cancelled job " + job.id() + " at " + job.finishedAt()
              + " before any agent took it; nothing was sent to SAP. Send the request again if it is still wanted"),
          instance);
      case QUEUED, LEASED -> throw new IllegalStateException("job " + job.id() + " has not ended");
    };
  }

  private Answer succeeded(Job job, String baseUrl) {
    JobOutput output = JobOutput.fromJson(job.action(), job.resultJson());
    if (job.action().isGeneric()) {
      return GenericAnswers.succeeded(job, output.output(), baseUrl);
    }
    if (job.action().carriesPayload()) {
      // An object after customers: a read answers it as SAP holds it, a write as SAP made it, below its collection.
      if (job.action().isRead()) {
        return Answer.json(200, output.output());
      }
      BusinessObject object = BusinessObject.of(job.action());
      return Answer.json(201, output.output())
          .header("Location", object.path() + "/" + output.output().path(object.numberField()).asText());
    }
    if (job.action() == Action.CUSTOMER_SEARCH) {
      CustomerPage page = output.page();
      String next = page.nextCursor() == null ? null
          : nextLink(baseUrl, JobRequest.fromJson(job.requestJson()).search(), page.nextCursor());
      return Answer.json(200, new CustomerList(page.customers(), next));
    }
    Customer customer = output.customer();
    String etag = CustomerETag.of(customer);
    boolean created = job.action() == Action.CUSTOMER_CREATE
        || (job.action() == Action.CUSTOMER_UPSERT && output.effect() == JobResult.Effect.CREATED);
    Answer answer = created
        ? Answer.json(201, customer).header("Location", CUSTOMERS + "/" + customer.customerNumber())
        : Answer.json(200, customer);
    if (job.action() == Action.CUSTOMER_UPSERT) {
      answer = answer.header(UPSERT_HEADER, output.effect().name().toLowerCase(Locale.ROOT));
    }
    return answer.header("ETag", etag);
  }

  /** The same list from the page after {@code cursor}: {@code search} and {@code top} as the engine sent them. */
  private static String nextLink(String baseUrl, SearchQuery query, String cursor) {
    StringBuilder url = new StringBuilder(baseUrl).append(CUSTOMERS).append('?');
    if (query != null && query.text() != null) {
      url.append("search=").append(encode(query.text())).append('&');
    }
    if (query != null && query.top() != null) {
      url.append("top=").append(query.top()).append('&');
    }
    return url.append("cursor=").append(encode(cursor)).toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String deadDetail(Job job) {
    String last = job.errorJson() == null ? null : read(job.errorJson(), JobError.class).message();
    return "job " + job.id() + " was taken " + job.attempt() + " time(s) and never finished"
        + (last == null ? "" : ": " + last)
        + (job.action().isGeneric() ? ". SAP may or may not have done what was asked"
            : job.action().carriesPayload() ? ". The " + BusinessObject.of(job.action()).noun()
            + " may or may not have been created in SAP" : ". The customer may or may not have been changed in SAP")
        + "; check before sending the request again";
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored job result is not readable: " + e.getOriginalMessage(), e);
    }
  }
}
