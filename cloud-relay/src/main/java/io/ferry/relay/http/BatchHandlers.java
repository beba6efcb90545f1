package io.ferry.relay.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.Protocol;
import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.auth.ApiCaller;
import io.ferry.relay.batch.BatchIntake;
import io.ferry.relay.batch.BatchMode;
import io.ferry.relay.batch.BatchRefused;
import io.ferry.relay.batch.BatchRunner;
import io.ferry.relay.batch.ErrorHandling;
import io.ferry.relay.batch.FieldMapping;
import io.ferry.relay.dispatch.AgentPresence;
import io.ferry.relay.dispatch.Dispatcher;
import io.ferry.relay.idempotency.BodyFingerprint;
import io.ferry.relay.objects.BusinessObject;
import io.ferry.relay.store.Batch;
import io.ferry.relay.store.BatchCounts;
import io.ferry.relay.store.BatchRecord;
import io.ferry.relay.store.BatchStore;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.JobStore.IdempotencyEntry;
import io.ferry.relay.store.RecordState;
import io.ferry.relay.store.StoreException;
import io.ferry.relay.store.Ulid;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches of one business object. Customer batches: {@code POST /v1/customer-batches} reads a JSON array or CSV as
 * it streams in, stores every record before it answers {@code 202}, and leaves the running to {@link BatchRunner};
 * {@code GET /v1/customer-batches/{id}} shows progress (202 while running, 200 once ended);
 * {@code GET /v1/customer-batches/{id}/results} lists each record's outcome, as JSON pages or as one
 * streamed CSV. Sales-order batches ({@code /v1/sales-order-batches}) are the same with a JSON array of orders, each
 * with its items nested as the single route takes them (no CSV: a flat row cannot carry the hierarchy), created one
 * record per job; their results name each record's {@code purchaseOrderByCustomer} and {@code salesOrder}.
 */
final class BatchHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(BatchHandlers.class);
  private static final ObjectMapper JSON = Protocol.json();
  static final String PATH = BusinessObject.CUSTOMER.batchPath();
  static final String SALES_ORDER_PATH = BusinessObject.SALES_ORDER.batchPath();
  static final String CSV = "text/csv";
  static final String MODE = "mode";
  static final String ERROR_HANDLING = "errorHandling";
  static final String MAPPING = "mapping";
  static final String LIMIT = "limit";
  static final String AFTER = "after";
  static final String OUTCOME = "outcome";
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final String BATCH_LIMIT_SETTING = "relay.batch-max-body-bytes";

  /** The body of every answer about a batch. Times are ISO-8601; absent values are left out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record BatchStatus(String id, String status, String mode, String errorHandling, int total, int queued, int running,
      int succeeded, int failed, int skipped, Instant createdAt, Instant finishedAt, List<String> ignoredColumns,
      String results) {}

  /**
   * One record's outcome; {@code outcome} is QUEUED, RUNNING, SUCCEEDED, FAILED or SKIPPED. A customer record names
   * {@code externalId} and {@code customerNumber}, a sales-order record {@code purchaseOrderByCustomer} and
   * {@code salesOrder}.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  record RecordResult(int recordIndex, String outcome, String externalId, String customerNumber,
      String purchaseOrderByCustomer, String salesOrder, String effect, String operationId, Problem problem) {}

  /** A page of results; {@code nextLink} (absolute) only when more follow. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ResultsPage(List<RecordResult> value, String nextLink) {}

  private final RelayConfig config;
  private final Clock clock;
  private final Dispatcher dispatcher;
  private final AgentPresence presence;
  private final BatchStore batches;
  private final BatchRunner runner;
  /** What this route's batches hold; its path and whether its records are sales orders follow from it. */
  private final BusinessObject object;
  private final String path;
  private final boolean salesOrders;

  /** The customer batches' handlers. */
  BatchHandlers(RelayConfig config, Clock clock, Dispatcher dispatcher,
      AgentPresence presence, BatchStore batches, BatchRunner runner) {
    this(config, clock, dispatcher, presence, batches, runner, BusinessObject.CUSTOMER);
  }

  /** The sales-order batches' handlers, on the same store and runner as the customers'. */
  BatchHandlers forSalesOrders() {
    return new BatchHandlers(config, clock, dispatcher, presence, batches, runner, BusinessObject.SALES_ORDER);
  }

  private BatchHandlers(RelayConfig config, Clock clock, Dispatcher dispatcher, AgentPresence presence,
      BatchStore batches, BatchRunner runner, BusinessObject object) {
    this.object = object;
    this.path = object.batchPath();
    this.salesOrders = object == BusinessObject.SALES_ORDER;
    this.config = config;
    this.clock = clock;
    this.dispatcher = dispatcher;
    this.presence = presence;
    this.batches = batches;
    this.runner = runner;
  }

  /** {@code POST /v1/customer-batches?mode=…[&errorHandling=…][&mapping=…]} with a JSON array or CSV. */
  void create(Context ctx) {
    ApiCaller caller = Guard.caller(ctx);
    String tenant = caller.tenantId();
    BatchMode mode = salesOrders ? BatchMode.SALES_ORDER_CREATE : mode(ctx);
    ErrorHandling errorHandling = errorHandling(ctx);
    String mappingParameter = ctx.queryParam(MAPPING);
    if (salesOrders && mappingParameter != null) {
      throw invalidParameter(MAPPING, "is not taken by sales-order batches: send the orders as the single route "
          + "takes them");
    }
    FieldMapping mapping = refusedAsProblem(() -> FieldMapping.parse(mappingParameter, mode));
    BatchIntake.Format format = format(ctx);
    if (salesOrders && format == BatchIntake.Format.CSV) {
      throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "a sales-order batch is a JSON array of orders "
          + "with their items nested; send it as application/json (a CSV row cannot carry the items)");
    }
    String key = IdempotencyKeys.of(ctx);
    String baseUrl = BaseUrl.of(config.publicUrl(), ctx);
    BodyFingerprint fingerprint = key == null ? null : BodyFingerprint.start(ctx.method().name(), path,
        mode.wireName(), errorHandling.wireName(), mappingParameter, format.name());
    InputStream limited = Bodies.limited(ctx, config.batchMaxBodyBytes(), BATCH_LIMIT_SETTING);
    InputStream body = fingerprint == null ? limited : fingerprint.tee(limited);
    if (key != null) {
      Optional<IdempotencyEntry> earlier = dispatcher.idempotencyKey(tenant, key);
      if (earlier.isPresent()) {
        drain(body);
        replay(ctx, tenant, earlier.get(), fingerprint.finish(), baseUrl);
        return;
      }
    }
    requireAgentOnline(tenant);

    String id = Ulid.next();
    Batch intake = Batch.intake(id, tenant, caller.apiKeyId(), mode.action(), errorHandling == ErrorHandling.STOP,
        Traceparent.of(ctx), clock.instant());
    Optional<IdempotencyEntry> earlier = store(intake, body, format,
        new BatchIntake.Options(mode, errorHandling, mapping), key, fingerprint);
    if (earlier.isPresent()) {
      // An identical request under the same key committed first: answer as that one.
      replay(ctx, tenant, earlier.get(), fingerprint.finish(), baseUrl);
      return;
    }
    runner.wake();
    Batch batch = batches.findBatch(tenant, id).orElseThrow(() -> new StoreException("batch " + id + " vanished", null));
    accepted(batch, baseUrl).send(ctx);
  }

  /**
   * Reads the body into the store under a batch in intake and makes the batch visible, with the
   * Idempotency-Key when there is one; on any failure, and when the key turns out to be taken (returned),
   * what was stored is discarded.
   */
  private Optional<IdempotencyEntry> store(Batch intake, InputStream body, BatchIntake.Format format,
      BatchIntake.Options options, String key, BodyFingerprint fingerprint) {
    String id = intake.id();
    batches.beginIntake(intake);
    boolean committed = false;
    try {
      BatchIntake.Outcome outcome = refusedAsProblem(() -> BatchIntake.read(body, format, options,
          BatchHandlers::invalidRecordProblem, chunk -> batches.appendRecords(id, chunk)));
      drain(body);
      Instant now = intake.createdAt();
      IdempotencyEntry entry = key == null ? null : new IdempotencyEntry(intake.tenantId(), key, fingerprint.finish(),
          id, now, now.plus(config.idempotencyRetention()));
      Optional<IdempotencyEntry> earlier = batches.commitIntake(id, outcome.total(), outcome.valid(),
          outcome.ignoredColumns().isEmpty() ? null : json(outcome.ignoredColumns()), entry, clock.instant());
      committed = earlier.isEmpty();
      if (committed) {
        LOG.info("batch {} accepted for tenant {}: {} {} record(s), {} invalid, errorHandling {}", id,
            intake.tenantId(), outcome.total(), options.mode().shownName(), outcome.invalid(),
            options.errorHandling().wireName());
      }
      return earlier;
    } finally {
      if (!committed) {
        discard(id);
      }
    }
  }

  /** {@code GET /v1/customer-batches/{id}}: 202 with progress while running, 200 once ended. */
  void get(Context ctx) {
    String tenant = Guard.caller(ctx).tenantId();
    Batch batch = batch(tenant, ctx.pathParam("id"));
    String baseUrl = BaseUrl.of(config.publicUrl(), ctx);
    (batch.state().isFinal() ? Answer.json(200, status(batch, baseUrl)) : accepted(batch, baseUrl)).send(ctx);
  }

  /** {@code GET /v1/customer-batches/{id}/results}: JSON pages, or all rows as CSV with {@code Accept: text/csv}. */
  void results(Context ctx) {
    String tenant = Guard.caller(ctx).tenantId();
    Batch batch = batch(tenant, ctx.pathParam("id"));
    RecordState only = outcomeFilter(ctx);
    if (!salesOrders && wantsCsv(ctx)) {
      ctx.status(200);
      ctx.contentType(CSV + "; charset=utf-8");
      ctx.header("Content-Disposition", "attachment; filename=\"customer-batch-" + batch.id() + "-results.csv\"");
      ctx.result(new ResultsCsv(batches, batch.id(), only, BatchHandlers::result));
      return;
    }
    int limit = intParameter(ctx, LIMIT, DEFAULT_LIMIT, 1, MAX_LIMIT);
    int after = intParameter(ctx, AFTER, 0, 0, Integer.MAX_VALUE);
    List<BatchRecord> records = batches.records(batch.id(), after, only, limit + 1);
    String next = null;
    if (records.size() > limit) {
      records = records.subList(0, limit);
      next = BaseUrl.of(config.publicUrl(), ctx) + path + "/" + batch.id() + "/results?" + AFTER + "="
          + records.get(limit - 1).recordIndex() + "&" + LIMIT + "=" + limit
          + (only == null ? "" : "&" + OUTCOME + "=" + only.name());
    }
    Answer.json(200, new ResultsPage(records.stream().map(salesOrders ? BatchHandlers::orderResult
        : BatchHandlers::result).toList(), next)).send(ctx);
  }

  // ---------------------------------------------------------------- answers

  private Answer accepted(Batch batch, String baseUrl) {
    return Answer.json(202, status(batch, baseUrl))
        .header("Location", baseUrl + path + "/" + batch.id())
        .header(Problems.RETRY_AFTER, Long.toString(retryAfterSeconds(batch)));
  }

  private BatchStatus status(Batch batch, String baseUrl) {
    BatchCounts counts = batches.counts(batch.id());
    List<String> ignored = batch.ignoredColumnsJson() == null ? null : read(batch.ignoredColumnsJson());
    return new BatchStatus(batch.id(), batch.state().name(), BatchMode.of(batch.action()).shownName(),
        (batch.stopOnFailure() ? ErrorHandling.STOP : ErrorHandling.CONTINUE).wireName(), counts.total(),
        counts.queued(), counts.running(), counts.succeeded(), counts.failed(), counts.skipped(), batch.createdAt(),
        batch.finishedAt(), ignored, baseUrl + path + "/" + batch.id() + "/results");
  }

  /** 1 s for a young batch, rising to 10 s: a small batch is seen done at once, a large one not hammered. */
  private long retryAfterSeconds(Batch batch) {
    long ageSeconds = Math.max(0, Duration.between(batch.createdAt(), clock.instant()).toSeconds());
    return Math.max(1, Math.min(10, 1 + ageSeconds / 10));
  }

  static RecordResult result(BatchRecord r) {
    return new RecordResult(r.recordIndex(), outcome(r), r.externalId(), r.customerNumber(), null, null, r.effect(),
        r.jobId(), r.problemJson() == null ? null : readProblem(r.problemJson()));
  }

  /** A sales-order record: the store keeps its customer reference and order number where a customer's id and number go. */
  static RecordResult orderResult(BatchRecord r) {
    return new RecordResult(r.recordIndex(), outcome(r), null, null, r.externalId(), r.customerNumber(), null,
        r.jobId(), r.problemJson() == null ? null : readProblem(r.problemJson()));
  }

  private static String outcome(BatchRecord r) {
    return switch (r.state()) {
      case PENDING -> "QUEUED";
      // A job that ended is reported as running until the batch's next step settles its record.
      case IN_FLIGHT -> r.jobState() == JobState.QUEUED ? "QUEUED" : "RUNNING";
      case SUCCEEDED, FAILED, SKIPPED -> r.state().name();
    };
  }

  /** An invalid record's problem: 422 invalid-fields, as the single-customer routes answer the same body. */
  static String invalidRecordProblem(List<FieldError> errors) {
    String detail = errors.stream()
        .map(e -> e.field().isEmpty() ? "the record " + e.message() : e.field() + " " + e.message())
        .collect(Collectors.joining("; "));
    ProblemType t = ProblemType.INVALID_FIELDS;
    return json(new Problem(t.type.toString(), t.title, t.status, detail, null, t.code, t.retryable, List.of(),
        errors));
  }

  private void replay(Context ctx, String tenant, IdempotencyEntry earlier, String fingerprint, String baseUrl) {
    if (!earlier.fingerprint().equals(fingerprint)) {
      throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
          "the Idempotency-Key was first used " + earlier.createdAt() + " for a request with another method, path, "
              + "parameters or body; use a new key for a new batch")
          .errors(List.of(new FieldError(IdempotencyKeys.HEADER, "was used for a different request")));
    }
    Batch batch = batches.findBatch(tenant, earlier.jobId()).orElseThrow(() -> new StoreException(
        "the batch " + earlier.jobId() + " of an idempotency key is missing", null));
    accepted(batch, baseUrl).header(IdempotencyKeys.REPLAYED, "true").send(ctx);
  }

  // ---------------------------------------------------------------- request parts

  /** The tenant's batch of this route's object: a customer batch is not found under the sales-order path. */
  private Batch batch(String tenant, String id) {
    return (Ulid.looksLike(id) ? batches.findBatch(tenant, id) : Optional.<Batch>empty())
        .filter(b -> BusinessObject.of(b.action()) == object)
        .orElseThrow(() -> new ProblemException(ProblemType.BATCH_NOT_FOUND,
            "no " + object.noun() + " batch " + id + " exists for this API key's tenant"));
  }

  private void requireAgentOnline(String tenant) {
    if (!presence.isOnline(tenant, null)) {
      throw new ProblemException(ProblemType.NO_AGENT_ONLINE,
          "no agent of this tenant has been seen in the last " + config.agentOfflineAfter().toSeconds()
              + " s, so the batch was not accepted; start or check the on-premises agent, then send it again")
          .header(Problems.RETRY_AFTER, "30");
    }
  }

  private static BatchMode mode(Context ctx) {
    String value = ctx.queryParam(MODE);
    if (value == null || value.isBlank()) {
      throw invalidParameter(MODE, "is required: insert (create each record), update (change the customer each "
          + "record's customerNumber names) or upsert (create, or change the customer with the record's externalId)");
    }
    return BatchMode.fromWireName(value.trim().toLowerCase(Locale.ROOT)).orElseThrow(() ->
        invalidParameter(MODE, "must be insert, update or upsert, was '" + value + "'"));
  }

  private static ErrorHandling errorHandling(Context ctx) {
    String value = ctx.queryParam(ERROR_HANDLING);
    if (value == null || value.isBlank()) {
      return ErrorHandling.CONTINUE;
    }
    return ErrorHandling.fromWireName(value.trim().toLowerCase(Locale.ROOT)).orElseThrow(() ->
        invalidParameter(ERROR_HANDLING, "must be continue (the default) or stop, was '" + value + "'"));
  }

  private static BatchIntake.Format format(Context ctx) {
    String header = ctx.header("Content-Type");
    if (header == null || header.isBlank()) {
      return BatchIntake.Format.JSON;
    }
    String[] parts = header.split(";");
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (parameter.length == 2 && parameter[0].trim().equalsIgnoreCase("charset")) {
        String charset = parameter[1].trim().replace("\"", "");
        if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
          throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
              "charset " + charset + " is not accepted; send the batch as UTF-8");
        }
      }
    }
    String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
    return switch (mediaType) {
      case Answer.JSON -> BatchIntake.Format.JSON;
      case CSV -> BatchIntake.Format.CSV;
      default -> throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + header
          + " is not accepted here; send application/json (an array of customers) or text/csv (a header row, "
          + "then one customer per row)");
    };
  }

  private static RecordState outcomeFilter(Context ctx) {
    String value = ctx.queryParam(OUTCOME);
    if (value == null || value.isBlank()) {
      return null;
    }
    return switch (value.trim().toUpperCase(Locale.ROOT)) {
      case "SUCCEEDED" -> RecordState.SUCCEEDED;
      case "FAILED" -> RecordState.FAILED;
      case "SKIPPED" -> RecordState.SKIPPED;
      default -> throw invalidParameter(OUTCOME, "must be SUCCEEDED, FAILED or SKIPPED, was '" + value + "'");
    };
  }

  private static int intParameter(Context ctx, String name, int fallback, int min, int max) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw invalidParameter(name, "must be a whole number between " + min + " and " + max + ", was '" + value + "'");
  }

  /** CSV when Accept prefers text/csv to application/json (higher q, or listed first at the same q). */
  private static boolean wantsCsv(Context ctx) {
    String accept = ctx.header("Accept");
    if (accept == null) {
      return false;
    }
    double csv = -1;
    double json = -1;
    int csvAt = 0;
    int jsonAt = 0;
    String[] ranges = accept.split(",");
    for (int i = 0; i < ranges.length; i++) {
      String[] parts = ranges[i].split(";");
      String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
      double q = 1;
      for (int p = 1; p < parts.length; p++) {
        String[] kv = parts[p].split("=", 2);
        if (kv.length == 2 && kv[0].trim().equals("q")) {
          try {
            q = Double.parseDouble(kv[1].trim());
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (mediaType.equals(CSV) && csv < 0) {
        csv = q;
        csvAt = i;
      } else if (mediaType.equals(Answer.JSON) && json < 0) {
        json = q;
        jsonAt = i;
      }
    }
    return csv > 0 && (csv > json || (csv == json && csvAt < jsonAt));
  }

  private static ProblemException invalidParameter(String name, String message) {
    return new ProblemException(ProblemType.INVALID_PARAMETER, name + " " + message)
        .errors(List.of(new FieldError(name, message)));
  }

  // ---------------------------------------------------------------- helpers

  private static <T> T refusedAsProblem(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (BatchRefused e) {
      ProblemType type = switch (e.kind()) {
        case MALFORMED_JSON -> ProblemType.MALFORMED_JSON;
        case MALFORMED_CSV -> ProblemType.MALFORMED_CSV;
        case INVALID_BATCH -> ProblemType.INVALID_BATCH;
        case INVALID_MAPPING -> ProblemType.INVALID_MAPPING;
      };
      throw new ProblemException(type, e.detail()).errors(e.errors());
    }
  }

  private void discard(String id) {
    try {
      batches.discardIntake(id);
    } catch (RuntimeException e) {
      // The answer already says what went wrong; the next start discards the rest.
      LOG.warn("could not discard the intake of batch {}: {}", id, e.getMessage());
    }
  }

  /** Reads the body to its end: for the fingerprint, and so the connection can be reused. */
  private static void drain(InputStream body) {
    try {
      body.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the request body", e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise " + value.getClass().getSimpleName(), e);
    }
  }

  private static List<String> read(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() { });
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored batch is not readable: " + e.getOriginalMessage(), e);
    }
  }

  private static Problem readProblem(String json) {
    try {
      return JSON.readValue(json, Problem.class);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored record problem is not readable: " + e.getOriginalMessage(), e);
    }
  }
}
