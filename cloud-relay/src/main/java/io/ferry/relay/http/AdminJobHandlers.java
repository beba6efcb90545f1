package io.ferry.relay.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Action;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.Protocol;
import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.audit.AuditLog;
import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.batch.BatchMode;
import io.ferry.relay.dispatch.Dispatcher;
import io.ferry.relay.store.Batch;
import io.ferry.relay.store.BatchCounts;
import io.ferry.relay.store.BatchRecord;
import io.ferry.relay.store.BatchStore;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobAdminStore;
import io.ferry.relay.store.JobAdminStore.JobEntry;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.RecordState;
import io.ferry.relay.store.Ulid;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The admin API's jobs and batches: list, show, retry, cancel. Like every admin route it needs scope
 * {@code admin} and sees the key's own tenant only; another tenant's job or batch is answered 404 as one
 * that does not exist. What a job answered is rendered exactly as {@code GET /v1/operations/{id}} renders
 * it (customer, or problem with SAP's messages); the callback URL is left out, as it may carry a token.
 */
final class AdminJobHandlers {

  static final int DEFAULT_PAGE = 50;
  static final int MAX_PAGE = 200;
  /** Failed records shown with a batch; the engine's results endpoint has them all. */
  static final int BATCH_FAILURES_SHOWN = 50;
  private static final ObjectMapper JSON = Protocol.json();

  private final RelayConfig config;
  private final Clock clock;
  private final JobAdminStore jobs;
  private final BatchStore batches;
  private final Dispatcher dispatcher;
  private final AuditLog audit;
  private final JobAnswers answers;

  AdminJobHandlers(RelayConfig config, Clock clock, JobAdminStore jobs,
      BatchStore batches, Dispatcher dispatcher, AuditLog audit) {
    this.config = config;
    this.clock = clock;
    this.jobs = jobs;
    this.batches = batches;
    this.dispatcher = dispatcher;
    this.audit = audit;
    this.answers = new JobAnswers(clock);
  }

  /** {@code GET /admin/v1/jobs?state=&action=&limit=&cursor=}: newest first, {@code nextLink} while more follow. */
  void list(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String stateParam = ctx.queryParam("state");
    JobState state = null;
    if (stateParam != null) {
      try {
        state = JobState.valueOf(stateParam.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw parameter("state", "state must be one of " + Arrays.toString(JobState.values()) + ", was " + stateParam);
      }
    }
    String actionParam = ctx.queryParam("action");
    Action action = null;
    if (actionParam != null) {
      try {
        action = Action.fromWireName(actionParam.strip());
      } catch (IllegalArgumentException e) {
        throw parameter("action", "action must be one of " + actionNames() + ", was " + actionParam);
      }
    }
    int limit = limit(ctx);
    String cursor = cursor(ctx);
    List<JobEntry> page = jobs.jobs(caller.tenantId(), state, action, cursor, limit + 1);
    boolean more = page.size() > limit;
    List<JobEntry> shown = more ? page.subList(0, limit) : page;
    String next = null;
    if (more) {
      StringBuilder q = new StringBuilder("?limit=").append(limit);
      if (state != null) {
        q.append("&state=").append(state.name());
      }
      if (action != null) {
        q.append("&action=").append(encode(action.wireName()));
      }
      q.append("&cursor=").append(shown.get(shown.size() - 1).job().id());
      next = BaseUrl.of(config.publicUrl(), ctx) + AdminHandlers.PREFIX + "/jobs" + q;
    }
    List<JobSummary> value = shown.stream().map(this::summary).toList();
    Answer.json(200, new Page<>(value, next)).send(ctx);
  }

  /** {@code GET /admin/v1/jobs/{id}}: the job with what it asked for and what it answered. */
  void show(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String id = jobId(ctx);
    JobEntry entry = jobs.jobEntry(caller.tenantId(), id).orElseThrow(() -> notFound(id));
    Answer.json(200, detail(entry, BaseUrl.of(config.publicUrl(), ctx))).send(ctx);
  }

  /**
   * {@code POST /admin/v1/jobs/{id}/retry}: a FAILED, DEAD or EXPIRED job is asked again as a new job
   * (same request, tenant and agent group; {@code retryOf} names the old one, which keeps its state).
   * 201 with the new job; 409 for a job in any other state.
   */
  void retry(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String id = jobId(ctx);
    JobEntry old = jobs.jobEntry(caller.tenantId(), id).orElse(null);
    if (old == null) {
      audit.record(caller.tenantId(), caller.apiKeyId(), "admin.job.retry", id, "NOT_FOUND", null);
      throw notFound(id);
    }
    Instant now = clock.instant();
    Job o = old.job();
    // No callback for the retry: the engine that asked heard the first job's end and knows no other id.
    Job retry = Job.queued(Ulid.next(), o.tenantId(), o.agentGroup(), o.action(), o.requestJson(), o.traceparent(),
        now, now.plus(config.jobDeadline())).withOrigin(caller.apiKeyId(), null);
    JobAdminStore.Change change = jobs.retry(caller.tenantId(), id, retry);
    if (!change.done()) {
      JobState current = change.job() == null ? o.state() : change.job().state();
      String why = current.isRetryable()
          ? "job " + id + " was retried already; a job is retried once (two retries of one failed create could "
              + "make two customers): retry the retry instead"
          : "job " + id + " is " + current
              + "; only a FAILED, DEAD or EXPIRED job can be retried (a job that runs or succeeded needs no retry)";
      audit.record(caller.tenantId(), caller.apiKeyId(), "admin.job.retry", id, "REFUSED",
          current.isRetryable() ? "retried already" : "the job is " + current);
      throw new ProblemException(ProblemType.JOB_STATE_CONFLICT, why);
    }
    dispatcher.queued(retry);
    audit.record(caller.tenantId(), caller.apiKeyId(), "admin.job.retry", id, "SUCCEEDED",
        "retried as job " + retry.id());
    String baseUrl = BaseUrl.of(config.publicUrl(), ctx);
    Answer.json(201, detail(new JobEntry(retry, now, id), baseUrl))
        .header("Location", baseUrl + AdminHandlers.PREFIX + "/jobs/" + retry.id())
        .send(ctx);
  }

  /**
   * {@code POST /admin/v1/jobs/{id}/cancel}: a QUEUED job no agent has taken becomes CANCELLED; a LEASED
   * (or once leased and requeued) job is refused with 409, as its agent may be writing to SAP right now.
   */
  void cancel(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String id = jobId(ctx);
    JobAdminStore.Change change = jobs.cancel(caller.tenantId(), id, caller.apiKeyId(), clock.instant());
    if (change.job() == null) {
      audit.record(caller.tenantId(), caller.apiKeyId(), "admin.job.cancel", id, "NOT_FOUND", null);
      throw notFound(id);
    }
    if (!change.done()) {
      Job job = change.job();
      audit.record(caller.tenantId(), caller.apiKeyId(), "admin.job.cancel", id, "REFUSED", "the job is " + job.state());
      String why = switch (job.state()) {
        case LEASED -> "agent " + job.leasedBy() + " holds it and may be writing to SAP right now; wait for its end";
        case QUEUED -> "an agent took it before (attempt " + job.attempt() + ") and its result may still arrive; "
            + "wait for its end";
        default -> "it has ended and an end never changes";
      };
      throw new ProblemException(ProblemType.JOB_STATE_CONFLICT, "job " + id + " is " + job.state()
          + " and cannot be cancelled: " + why);
    }
    dispatcher.ended(id);
    audit.record(caller.tenantId(), caller.apiKeyId(), "admin.job.cancel", id, "SUCCEEDED", null);
    Answer.json(200, detail(jobs.jobEntry(caller.tenantId(), id).orElseThrow(), BaseUrl.of(config.publicUrl(), ctx)))
        .send(ctx);
  }

  /** {@code GET /admin/v1/batches?limit=&cursor=}: newest first. */
  void listBatches(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    int limit = limit(ctx);
    String cursor = cursor(ctx);
    List<Batch> page = jobs.batches(caller.tenantId(), cursor, limit + 1);
    boolean more = page.size() > limit;
    List<Batch> shown = more ? page.subList(0, limit) : page;
    String next = more ? BaseUrl.of(config.publicUrl(), ctx) + AdminHandlers.PREFIX + "/batches?limit=" + limit
        + "&cursor=" + shown.get(shown.size() - 1).id() : null;
    List<BatchSummary> value = shown.stream().map(b -> summary(b, batches.counts(b.id()))).toList();
    Answer.json(200, new Page<>(value, next)).send(ctx);
  }

  /** {@code GET /admin/v1/batches/{id}}: counts and the first failed records with their problems. */
  void showBatch(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String id = ctx.pathParam("id");
    if (!Ulid.looksLike(id)) {
      throw parameter("id", "a batch id has 26 letters and digits, was " + id);
    }
    Batch batch = batches.findBatch(caller.tenantId(), id).orElseThrow(() -> new ProblemException(
        ProblemType.BATCH_NOT_FOUND, "this tenant has no batch " + id));
    List<FailedRecord> failures = new ArrayList<>();
    for (BatchRecord r : batches.records(id, 0, RecordState.FAILED, BATCH_FAILURES_SHOWN)) {
      failures.add(new FailedRecord(r.recordIndex(), r.externalId(), r.customerNumber(), r.jobId(),
          tree(r.problemJson())));
    }
    Answer.json(200, new BatchDetail(summary(batch, batches.counts(id)), failures)).send(ctx);
  }

  // ---------------------------------------------------------------- rendering

  private JobSummary summary(JobEntry e) {
    Job j = e.job();
    return new JobSummary(j.id(), j.action().wireName(), j.state().name(), j.attempt(), j.createdAt(), e.updatedAt(),
        j.leasedBy(), j.agentGroup(), e.retryOf(), errorSummary(j));
  }

  /** The code and the first thing a person should read: SAP's first message, else the problem's detail. */
  private ErrorSummary errorSummary(Job j) {
    if (!j.state().isFinal() || j.state() == JobState.SUCCEEDED) {
      return null;
    }
    JsonNode problem = outcome(j, "").path("problem");
    JsonNode sap = problem.path("sapMessages");
    String message = sap.isArray() && !sap.isEmpty() ? sap.get(0).path("message").asText(null)
        : problem.path("detail").asText(null);
    return new ErrorSummary(problem.path("code").asText(null), message);
  }

  private JobDetail detail(JobEntry e, String baseUrl) {
    Job j = e.job();
    JsonNode out = j.state().isFinal() ? outcome(j, baseUrl) : null;
    return new JobDetail(j.id(), j.action().wireName(), j.state().name(), j.attempt(), j.createdAt(), e.updatedAt(),
        j.finishedAt(), j.deadline(), j.leasedBy(), j.agentGroup(), e.retryOf(), j.traceparent(),
        j.callbackUrl() != null, tree(j.requestJson()),
        out == null ? null : out.path("httpStatus").asInt(),
        out == null ? null : out.get("result"),
        out == null ? null : out.get("problem"),
        errorSummary(j));
  }

  /** {@code {"httpStatus": …, "result"|"problem": …}} as the engine's operation URL answers the ended job. */
  private JsonNode outcome(Job j, String baseUrl) {
    Answer answer = answers.answer(j, baseUrl, JobAnswers.OPERATIONS + j.id());
    var node = JSON.createObjectNode();
    node.put("httpStatus", answer.status());
    String member = answer.status() < 300 ? "result" : "problem";
    if (answer.body() == null || answer.body().length == 0) {
      return node; // an OData write's 204
    }
    String body = new String(answer.body(), StandardCharsets.UTF_8);
    if (answer.contentType() != null && answer.contentType().contains("json")) {
      node.set(member, tree(body));
    } else {
      node.put(member, body); // an OData $metadata read: the EDMX as text
    }
    return node;
  }

  private static BatchSummary summary(Batch b, BatchCounts counts) {
    return new BatchSummary(b.id(), io.ferry.relay.objects.BusinessObject.of(b.action()).wireName(),
        BatchMode.of(b.action()).shownName(), b.stopOnFailure() ? "stop" : "continue",
        b.state().name(), b.createdAt(), b.finishedAt(), counts);
  }

  private static JsonNode tree(String json) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- input

  private static String jobId(Context ctx) {
    String id = ctx.pathParam("id");
    if (!Ulid.looksLike(id)) {
      throw parameter("id", "a job id has 26 letters and digits (the operation id), was " + id);
    }
    return id;
  }

  private static int limit(Context ctx) {
    String param = ctx.queryParam("limit");
    if (param == null) {
      return DEFAULT_PAGE;
    }
    int limit;
    try {
      limit = Integer.parseInt(param.strip());
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_PAGE) {
      throw parameter("limit", "limit must be a whole number from 1 to " + MAX_PAGE + ", was " + param);
    }
    return limit;
  }

  private static String cursor(Context ctx) {
    String cursor = ctx.queryParam("cursor");
    if (cursor != null && !cursor.matches("[0-9A-Z]{26}")) {
      throw parameter("cursor", "cursor must be copied from nextLink, was " + cursor);
    }
    return cursor;
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(ProblemType.OPERATION_NOT_FOUND, "this tenant has no job " + id);
  }

  private static ProblemException parameter(String name, String detail) {
    return new ProblemException(ProblemType.INVALID_PARAMETER, detail).errors(List.of(new FieldError(name, detail)));
  }

  private static List<String> actionNames() {
    return Arrays.stream(Action.values()).map(Action::wireName).toList();
  }

  private static String encode(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- bodies

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Page<T>(List<T> value, String nextLink) {}

  record ErrorSummary(String code, String message) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record JobSummary(String id, String action, String state, int attempt, Instant createdAt, Instant updatedAt,
      String agentId, String agentGroup, String retryOf, ErrorSummary error) {}

  /**
   * @param callback whether the engine asked for a callback (its URL is not shown: it may carry a token)
   * @param httpStatus what {@code GET /v1/operations/{id}} answers once the job ended
   * @param result that answer's body when the job succeeded (the customer, or a list's page)
   * @param problem that answer's problem otherwise, with SAP's messages
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record JobDetail(String id, String action, String state, int attempt, Instant createdAt, Instant updatedAt,
      Instant finishedAt, Instant deadline, String agentId, String agentGroup, String retryOf, String traceparent,
      boolean callback, JsonNode request, Integer httpStatus, JsonNode result, JsonNode problem,
      ErrorSummary error) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  /** @param object what the batch's records are: {@code customer} or {@code salesorder} */
  record BatchSummary(String id, String object, String mode, String errorHandling, String state, Instant createdAt,
      Instant finishedAt, BatchCounts counts) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FailedRecord(int recordIndex, String externalId, String customerNumber, String jobId, JsonNode problem) {}

  record BatchDetail(BatchSummary batch, List<FailedRecord> failedRecords) {}
}
