package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SapMessage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine API over real HTTP, with a fake agent answering on the other side. */
class EngineApiTest {

  @TempDir
  static Path dataDir;
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c.withMaxBodyBytes(64 * 1024));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void createAnsweredByTheAgentWithinTheSyncWindowIs201WithLocationAndCustomerNumber() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    CompletableFuture<Reply> pending = tenant.engine().postAsync("/v1/customers", Fixtures.CUSTOMER_JSON,
        "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    JobEnvelope job = agent.takeOne();
    assertThat(job.action()).isEqualTo(Action.CUSTOMER_CREATE);
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.customer().name()).isEqualTo("Muster GmbH");
    // Same trace, the relay's own span as the agent's parent (W3C: each hop sends a child).
    assertThat(job.traceparent()).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-01")
        .isNotEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(job.leaseExpiresAt()).isNotNull();
    assertThat(job.deadline()).isAfter(job.leaseExpiresAt().minusSeconds(600));

    assertThat(agent.succeed(job, Fixtures.created(job.customer(), "0000100001")).status()).isEqualTo(204);

    Reply reply = pending.get(15, TimeUnit.SECONDS);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.header("traceresponse")).as("the relay's span, named to the engine").isEqualTo(job.traceparent());
    assertThat(reply.header("Location")).isEqualTo("/v1/customers/0000100001");
    assertThat(reply.header("ETag")).startsWith("\"").endsWith("\"");
    Customer created = reply.as(Customer.class);
    assertThat(created.customerNumber()).isEqualTo("0000100001");
    assertThat(created.sapMessages()).extracting(SapMessage::number).containsExactly("144");
  }

  @Test
  void requestWithoutTraceparentGetsOneGenerated() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
    String traceparent = agent.takeOne().traceparent();
    assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(accepted.header("traceresponse")).isEqualTo(traceparent);
  }

  @Test
  void preferRespondAsyncAnswers202AtOnce() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();

    Reply reply = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");

    assertThat(reply.status()).isEqualTo(202);
    assertThat(reply.header("Preference-Applied")).isEqualTo("respond-async");
    assertThat(reply.header("Location")).startsWith(relay.base() + "/v1/operations/");
    assertThat(reply.header("Retry-After")).isEqualTo("1");
    assertThat(reply.json().get("status").asText()).isEqualTo("QUEUED");
    assertThat(reply.json().get("action").asText()).isEqualTo("customer.create");
    assertThat(reply.header("Location")).endsWith(reply.json().get("id").asText());
  }

  @Test
  void invalidCountryIs422NamingTheFieldAndQueuesNothing() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    Reply reply = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON.replace("\"DE\"", "\"XX\""));

    assertThat(reply.status()).isEqualTo(422);
    Problem problem = reply.problem();
    assertThat(problem.code()).isEqualTo("FERRY-RELAY-0101");
    assertThat(problem.type()).isEqualTo("https://ferry.dev/problems/invalid-fields");
    assertThat(problem.instance()).isEqualTo("/v1/customers");
    assertThat(problem.retryable()).isFalse();
    assertThat(problem.errors()).extracting(Problem.FieldError::field).containsExactly("country");
    assertThat(problem.detail()).contains("country");
    // Nothing reached the queue: the agent's poll is held for the full hold and comes back empty.
    assertThat(agent.poll(5).jobs()).isEmpty();
  }

  @Test
  void malformedJsonIs400() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();

    Reply reply = tenant.engine().post("/v1/customers", "{\"name\": ");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0100");
    assertThat(reply.problem().detail()).doesNotContain("at io.").doesNotContain("Exception");
  }

  @Test
  void missingWrongAndRevokedApiKeysAre401WithAChallenge() {
    TestRelay.Tenant tenant = relay.tenant();

    Reply missing = relay.tenant().engine().get("/v1/customers/100001", "X-API-Key", "");
    Reply missingEntirely = new Engine(relay.base(), null).get("/v1/customers/100001");
    Reply wrong = new Engine(relay.base(), tenant.apiKey().substring(0, tenant.apiKey().length() - 2) + "xx")
        .get("/v1/customers/100001");
    Reply garbage = new Engine(relay.base(), "not-a-key").get("/v1/customers/100001");
    relay.relay.admin().revokeApiKey(tenant.apiKey());
    Reply revoked = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON);

    assertThat(missingEntirely.status()).isEqualTo(401);
    assertThat(missingEntirely.problem().code()).isEqualTo("FERRY-RELAY-0201");
    assertThat(missingEntirely.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(missing.status()).isEqualTo(401);
    for (Reply r : List.of(wrong, garbage, revoked)) {
      assertThat(r.status()).as(r.body()).isEqualTo(401);
      assertThat(r.problem().code()).isEqualTo("FERRY-RELAY-0202");
      assertThat(r.header("WWW-Authenticate")).contains("invalid_token");
    }
  }

  @Test
  void bearerApiKeyIsAcceptedToo() {
    TestRelay.Tenant tenant = relay.tenant();
    Reply reply = new Engine(relay.base(), null).get("/v1/operations/01JD4Y6Q8V3T6R2M7K9X0B1C2D",
        "Authorization", "Bearer " + tenant.apiKey());
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0302");
  }

  @Test
  void noAgentEverSeenIs503WithRetryAfterAndPersistsNothing() {
    TestRelay.Tenant tenant = relay.tenant();

    Reply reply = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON);

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.header("Retry-After")).isEqualTo("30");
    assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0301");
    assertThat(reply.problem().retryable()).isTrue();
    // An agent that arrives now finds nothing queued.
    assertThat(tenant.enrollAgent().poll(5).jobs()).isEmpty();
  }

  @Test
  void sapBusinessErrorIs422WithSapMessagesAndTheAgentsCode() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    CompletableFuture<Reply> pending = tenant.engine().postAsync("/v1/customers", Fixtures.CUSTOMER_JSON);
    JobEnvelope job = agent.takeOne();
    SapMessage sap = new SapMessage("E", "F2", "152", "Reference customer 0000009999 does not exist");
    agent.fail(job, new JobError(JobError.Kind.SAP_BUSINESS_ERROR, "FERRY-SAP-0001", "SAP refused the customer",
        List.of(sap)));

    Reply reply = pending.get(15, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(422);
    Problem problem = reply.problem();
    assertThat(problem.type()).isEqualTo("https://ferry.dev/problems/sap-business-error");
    assertThat(problem.code()).isEqualTo("FERRY-SAP-0001");
    assertThat(problem.detail()).isEqualTo("SAP refused the customer");
    assertThat(problem.sapMessages()).containsExactly(sap);
    assertThat(problem.retryable()).isFalse();
  }

  @Test
  void sapUnavailableIs503RetryableWithRetryAfter() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    CompletableFuture<Reply> pending = tenant.engine().getAsync("/v1/customers/100001");
    agent.fail(agent.takeOne(), new JobError(JobError.Kind.SAP_UNAVAILABLE, null, "RFC connection refused", null));

    Reply reply = pending.get(15, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.header("Retry-After")).isNotBlank();
    assertThat(reply.problem().retryable()).isTrue();
    assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0503");
  }

  @Test
  void theAgentsRetryAfterBecomesThe503sRetryAfter() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    CompletableFuture<Reply> pending = tenant.engine().getAsync("/v1/customers/100001");
    agent.fail(agent.takeOne(), new JobError(JobError.Kind.SAP_UNAVAILABLE, "FERRY-SAP-0006",
        "the circuit breaker to SAP is open", null, 27));

    Reply reply = pending.get(15, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.header("Retry-After")).isEqualTo("27");
  }

  @Test
  void unknownCustomerReadIs404() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    CompletableFuture<Reply> pending = tenant.engine().getAsync("/v1/customers/999999");
    JobEnvelope job = agent.takeOne();
    assertThat(job.action()).isEqualTo(Action.CUSTOMER_READ);
    assertThat(job.customerNumber()).isEqualTo("999999");
    agent.fail(job, new JobError(JobError.Kind.NOT_FOUND, "FERRY-SAP-0004", "customer 999999 does not exist", null));

    Reply reply = pending.get(15, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.problem().type()).isEqualTo("https://ferry.dev/problems/customer-not-found");
    assertThat(reply.problem().instance()).isEqualTo("/v1/customers/999999");
  }

  @Test
  void readThenPatchGivesADifferentETag() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Customer stored = Fixtures.sample("0000100001");

    CompletableFuture<Reply> read = tenant.engine().getAsync("/v1/customers/100001");
    agent.succeed(agent.takeOne(), stored);
    Reply before = read.get(15, TimeUnit.SECONDS);
    assertThat(before.status()).isEqualTo(200);
    assertThat(before.header("ETag")).isNotBlank();

    CompletableFuture<Reply> patch = tenant.engine().patchAsync("/v1/customers/100001",
        "{\"city\":\"Berlin\",\"phone\":null}");
    JobEnvelope job = agent.takeOne();
    assertThat(job.action()).isEqualTo(Action.CUSTOMER_UPDATE);
    assertThat(job.customerNumber()).isEqualTo("100001");
    assertThat(job.changes().get("city").asText()).isEqualTo("Berlin");
    assertThat(job.changes().has("phone")).isTrue();
    assertThat(job.changes().get("phone").isNull()).isTrue();
    agent.succeed(job, stored.toBuilder().city("Berlin").build());

    Reply after = patch.get(15, TimeUnit.SECONDS);
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.as(Customer.class).city()).isEqualTo("Berlin");
    assertThat(after.header("ETag")).isNotBlank().isNotEqualTo(before.header("ETag"));
  }

  @Test
  void invalidPatchIs422AndWrongContentTypeIs415() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();

    Reply invalid = tenant.engine().patch("/v1/customers/100001", "{\"name\":null}", "application/merge-patch+json");
    Reply wrongType = tenant.engine().patch("/v1/customers/100001", "city=Berlin", "text/plain");

    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.problem().errors()).extracting(Problem.FieldError::field).containsExactly("name");
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(wrongType.problem().code()).isEqualTo("FERRY-RELAY-0103");
  }

  @Test
  void invalidCustomerNumberInThePathIs422NamingIt() {
    TestRelay.Tenant tenant = relay.tenant();

    Reply reply = tenant.engine().get("/v1/customers/12345678901");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0102");
    assertThat(reply.problem().errors()).extracting(Problem.FieldError::field).containsExactly("customerNumber");
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405AsProblems() {
    TestRelay.Tenant tenant = relay.tenant();

    Reply unknown = tenant.engine().get("/v1/nothing-here");
    Reply wrongMethod = tenant.engine().post("/v1/customers/100001", "{}");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.problem().code()).isEqualTo("FERRY-RELAY-0105");
    assertThat(unknown.problem().instance()).isEqualTo("/v1/nothing-here");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.problem().code()).isEqualTo("FERRY-RELAY-0106");
    assertThat(wrongMethod.header("Allow")).contains("GET").contains("PATCH");
  }

  @Test
  void bodyOverTheLimitIs413() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();
    String big = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";

    Reply reply = tenant.engine().post("/v1/customers", big);

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0104");
  }

  @Test
  void operationsOfAnotherTenantAre404() {
    TestRelay.Tenant a = relay.tenant();
    TestRelay.Tenant b = relay.tenant();
    a.enrollAgent();
    Reply accepted = a.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");

    Reply asB = b.engine().get(accepted.header("Location"));
    Reply asA = a.engine().get(accepted.header("Location"));

    assertThat(asB.status()).isEqualTo(404);
    assertThat(asB.problem().code()).isEqualTo("FERRY-RELAY-0302");
    assertThat(asA.status()).isEqualTo(202);
  }

  @Test
  void whatJettyRefusesIsAProblemToo() {
    Reply reply = relay.tenant().engine().get("/v1/customers/1", "X-Padding", "x".repeat(20_000));
    assertThat(reply.status()).isEqualTo(431);
    assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0109");
    assertThat(reply.body()).doesNotContain("<html");
  }

  @Test
  void everyAnswerCarriesARequestId() {
    Reply reply = relay.tenant().engine().get("/v1/nothing-here", "X-Request-Id", "trace-me-42");
    assertThat(reply.header("X-Request-Id")).isEqualTo("trace-me-42");
    assertThat(relay.tenant().engine().get("/v1/nothing-here").header("X-Request-Id")).isNotBlank();
  }

  @Test
  void protocolPathsAreTheOnesServed() {
    assertThat(Protocol.POLL_PATH).isEqualTo("/agent/v1/poll");
    Reply reply = Http.send(new okhttp3.Request.Builder().url(relay.base() + Protocol.POLL_PATH)
        .post(Http.json("{}")).build());
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0203");
  }
}
