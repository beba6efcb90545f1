package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * What a support engineer reads: one access line per request on {@code io.ferry.relay.access} (method, route
 * template, status, duration, tenant, and the problem code of a refusal; never a key), and the request's
 * {@code X-Request-Id} in the MDC of every line it causes, over real HTTP.
 */
class AccessLogTest {

  private static final String ACCESS = "io.ferry.relay.access";

  @TempDir Path dataDir;
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger access = (Logger) LoggerFactory.getLogger(ACCESS);

  @BeforeEach
  void capture() {
    captured.start();
    root.addAppender(captured);
    access.setLevel(Level.DEBUG);
  }

  @AfterEach
  void release() {
    root.detachAppender(captured);
    access.setLevel(null);
  }

  @Test
  void oneLinePerRequestWithTheRouteTemplateStatusDurationAndTenantAndNeverTheKey() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      tenant.enrollAgent();
      Reply created = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async",
          "X-Request-Id", "req-create-1");
      assertThat(created.status()).isEqualTo(202);
      String operation = created.header("Location");
      String jobId = operation.substring(operation.lastIndexOf('/') + 1);
      // The key as a bearer token this time: neither header form may reach a log line.
      assertThat(new Engine(relay.base(), null).get(operation, "Authorization", "Bearer " + tenant.apiKey(),
          "X-Request-Id", "req-operation-1").status()).isEqualTo(202);
      new Engine(relay.base(), null).get("/healthz", "X-Request-Id", "req-probe-1");

      ILoggingEvent create = line("req-create-1");
      assertThat(create.getLevel()).isEqualTo(Level.INFO);
      assertThat(create.getFormattedMessage()).matches("POST /v1/customers 202 \\d+ ms tenant=" + tenant.id());
      assertThat(create.getMDCPropertyMap()).containsEntry("request_id", "req-create-1").containsKey("trace_id");
      assertThat(keyValues(create)).containsEntry("method", "POST").containsEntry("route", "/v1/customers")
          .containsEntry("status", "202").containsEntry("tenant", tenant.id()).containsKey("duration_ms")
          .doesNotContainKey("code");

      ILoggingEvent read = line("req-operation-1");
      // The route template, not the path: no job id (nor customer number) in the line.
      assertThat(read.getFormattedMessage()).matches("GET /v1/operations/\\{id} 202 \\d+ ms tenant=" + tenant.id())
          .doesNotContain(jobId);
      // A probe that succeeds is DEBUG: a load balancer's checks do not bury the traffic.
      assertThat(line("req-probe-1").getLevel()).isEqualTo(Level.DEBUG);
      assertThat(line("req-probe-1").getFormattedMessage()).matches("GET /healthz 200 \\d+ ms tenant=-");

      String key = tenant.apiKey();
      assertThat(captured.list).noneMatch(e -> e.getFormattedMessage().contains(key.substring(key.length() - 16))
          || String.valueOf(e.getMDCPropertyMap()).contains(key.substring(key.length() - 16)));
    }
  }

  @Test
  void answersTheRelayRefusesAreLoggedAtInfoWithTheirProblemCode() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.toBuilder().maxBodyBytes(1024).rateLimit(2).build())) {
      TestRelay.Tenant tenant = relay.tenant();
      Engine engine = tenant.engine();
      Engine anonymous = new Engine(relay.base(), null);
      String wrongKey = tenant.apiKey() + "x";
      anonymous.get("/v1/customers", "X-Request-Id", "refused-401-missing");
      new Engine(relay.base(), wrongKey).get("/v1/customers", "X-Request-Id", "refused-401-invalid");
      engine.post("/v1/customers", "{", "X-Request-Id", "refused-400");
      engine.postBody("/v1/customers", "name=Muster", "text/plain", "X-Request-Id", "refused-415");
      TestRelay.Tenant other = relay.tenant();
      other.engine().post("/v1/customers", "{}", "X-Request-Id", "refused-422");
      other.engine().post("/v1/customers", "{\"name\":\"" + "M".repeat(2000) + "\"}", "X-Request-Id", "refused-413");
      TestRelay.Tenant limited = relay.tenant();
      limited.engine().get("/v1/connection");
      limited.engine().get("/v1/connection");
      limited.engine().get("/v1/connection", "X-Request-Id", "refused-429");

      Map<String, String> expected = Map.of(
          "refused-401-missing", "GET /v1/customers 401 .* tenant=- code=FERRY-RELAY-0201",
          "refused-401-invalid", "GET /v1/customers 401 .* tenant=- code=FERRY-RELAY-0202",
          "refused-400", "POST /v1/customers 400 .* tenant=" + tenant.id() + " code=FERRY-RELAY-0100",
          "refused-415", "POST /v1/customers 415 .* tenant=" + tenant.id() + " code=FERRY-RELAY-0103",
          "refused-422", "POST /v1/customers 422 .* tenant=" + other.id() + " code=FERRY-RELAY-0101",
          "refused-413", "POST /v1/customers 413 .* tenant=" + other.id() + " code=FERRY-RELAY-0104",
          "refused-429", "GET /v1/connection 429 .* tenant=" + limited.id() + " code=FERRY-RELAY-0205");
      expected.forEach((requestId, pattern) -> {
        ILoggingEvent e = line(requestId);
        assertThat(e.getLevel()).as(requestId).isEqualTo(Level.INFO);
        assertThat(e.getFormattedMessage()).as(requestId).matches(pattern);
        assertThat(keyValues(e)).as(requestId).containsKey("code");
      });
      assertThat(captured.list).noneMatch(e -> e.getFormattedMessage().contains(wrongKey.substring(wrongKey.length() - 16)));
    }
  }

  /** Refused by Jetty before the relay's routing saw it: still one line, in the same format, with its code. */
  @Test
  void aRequestJettyRefusesIsLoggedToo() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withMaxHeaderBytes(4096))) {
      assertThat(new Engine(relay.base(), null).get("/v1/connection", "X-Padding", "p".repeat(8_000)).status())
          .isEqualTo(431);
      ILoggingEvent refused = single(e -> e.getLoggerName().equals(ACCESS)
          && e.getFormattedMessage().startsWith("- - 431 "));
      assertThat(refused.getLevel()).isEqualTo(Level.INFO);
      assertThat(refused.getFormattedMessage()).contains("code=FERRY-RELAY-0109");
    }
  }

  /**
   * A create that waits in its sync window is answered on the thread of the agent's result: its access line
   * still names the engine's request, and the result's own lines keep the agent request's id.
   */
  @Test
  void everyLineARequestCausesCarriesItsRequestIdWhicheverThreadWritesIt() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      CompletableFuture<Reply> create = tenant.engine().postAsync("/v1/customers", Fixtures.CUSTOMER_JSON,
          "X-Request-Id", "req-held-1");
      JobEnvelope job = agent.takeOne();
      agent.succeed(job, Fixtures.created(job.customer(), "0000100001"));
      assertThat(create.get().status()).isEqualTo(201);

      ILoggingEvent held = line("req-held-1");
      assertThat(held.getFormattedMessage()).matches("POST /v1/customers 201 \\d+ ms tenant=" + tenant.id());
      ILoggingEvent queued = single(e -> e.getFormattedMessage().startsWith("job " + job.jobId() + " queued"));
      assertThat(queued.getMDCPropertyMap()).containsEntry("request_id", "req-held-1");
      ILoggingEvent succeeded = single(e -> e.getFormattedMessage().startsWith("job " + job.jobId() + " SUCCEEDED"));
      ILoggingEvent result = single(e -> e.getLoggerName().equals(ACCESS)
          && e.getFormattedMessage().startsWith("POST /agent/v1/jobs/{id}/result 204"));
      assertThat(result.getFormattedMessage()).contains("agent=" + agent.identity.agentId());
      assertThat(succeeded.getMDCPropertyMap().get("request_id")).isNotNull().isNotEqualTo("req-held-1")
          .isEqualTo(result.getMDCPropertyMap().get("request_id"));
    }
  }

  @Test
  void aFailedJobsLineCarriesItsProblemCodeAndStatus() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      JobEnvelope job = agent.takeOne();
      agent.fail(job, new JobError(JobError.Kind.SAP_BUSINESS_ERROR, "FERRY-SAP-0001", "SAP refused it", List.of()));
      ILoggingEvent failed = single(e -> e.getFormattedMessage().startsWith("job " + job.jobId() + " FAILED"));
      assertThat(failed.getFormattedMessage()).endsWith(": FERRY-SAP-0001, HTTP 422");
    }
  }

  /** The JSON format (the CLI's encoder settings) writes the request id and the line's values as fields. */
  @Test
  void inTheJsonFormatTheRequestIdAndTheValuesAreFields() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      new Engine(relay.base(), null).get("/v1/customers", "X-Request-Id", "req-json-1");
      JsonEncoder encoder = new JsonEncoder();
      encoder.setContext(root.getLoggerContext());
      encoder.setWithFormattedMessage(true);
      encoder.setWithMessage(false);
      encoder.setWithArguments(false);
      encoder.start();
      var json = io.ferry.protocol.Protocol.json().readTree(new String(encoder.encode(line("req-json-1")),
          StandardCharsets.UTF_8));
      assertThat(json.path("loggerName").asText()).isEqualTo(ACCESS);
      assertThat(json.path("mdc").path("request_id").asText()).isEqualTo("req-json-1");
      assertThat(json.path("formattedMessage").asText()).startsWith("GET /v1/customers 401 ");
      assertThat(json.path("kvpList").toString()).contains("\"route\":\"/v1/customers\"")
          .contains("\"status\":\"401\"").contains("\"code\":\"FERRY-RELAY-0201\"");
    }
  }

  /** The one access line of the request with this id (written before the answer is sent; awaited all the same). */
  private ILoggingEvent line(String requestId) {
    return single(e -> e.getLoggerName().equals(ACCESS) && requestId.equals(e.getMDCPropertyMap().get("request_id")));
  }

  private ILoggingEvent single(java.util.function.Predicate<ILoggingEvent> which) {
    Fixtures.await("a log line", Duration.ofSeconds(10), () -> List.copyOf(captured.list).stream().anyMatch(which));
    List<ILoggingEvent> found = List.copyOf(captured.list).stream().filter(which).toList();
    assertThat(found).as("exactly one line").hasSize(1);
    return found.get(0);
  }

  private static Map<String, String> keyValues(ILoggingEvent e) {
    List<KeyValuePair> pairs = e.getKeyValuePairs() == null ? List.of() : e.getKeyValuePairs();
    return pairs.stream().collect(Collectors.toMap(p -> p.key, p -> String.valueOf(p.value)));
  }
}
