package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's promises, checked the way an integration engineer would: a relay and an agent
 * talking HTTP on loopback, the agent on either SAP backend — BAPI through the JCo API against the
 * simulator, or OData against the S/4HANA test peer — with the same answers from both; and the relay on
 * its embedded SQLite store or on PostgreSQL (the scale-out store), and jobs reaching the agent by its long
 * polls or through SQS queues (an embedded ElasticMQ), with the same answers again.
 */
@ParameterizedClass(name = "SAP over {0}, jobs by {1}, relay store {2}")
@MethodSource("setups")
class CustomerLifecycleTest {

  @Parameter(0) FerryStack.Sap sap;
  @Parameter(1) FerryStack.Dispatch dispatch;
  @Parameter(2) String store;

  /**
   * Both backends with the agents' long polls and with SQS dispatch, on SQLite; PostgreSQL once (BAPI, long
   * polls): the store is the same for either dispatch, so its other combinations would add run time, not cover.
   */
  static Stream<Arguments> setups() {
    return Stream.of(
        Arguments.of(FerryStack.Sap.BAPI, FerryStack.Dispatch.POLL, "sqlite"),
        Arguments.of(FerryStack.Sap.ODATA, FerryStack.Dispatch.POLL, "sqlite"),
        Arguments.of(FerryStack.Sap.BAPI, FerryStack.Dispatch.SQS, "sqlite"),
        Arguments.of(FerryStack.Sap.ODATA, FerryStack.Dispatch.SQS, "sqlite"),
        Arguments.of(FerryStack.Sap.BAPI, FerryStack.Dispatch.POLL, "postgres"));
  }

  /** Every backend with the agents' long polls, and with SQS dispatch (for tests that do not vary the store). */
  static Stream<Arguments> stacks() {
    return Stream.of(FerryStack.Dispatch.values()).flatMap(d -> Stream.of(FerryStack.Sap.values())
        .map(s -> Arguments.of(s, d)));
  }

  /** The stack with this run's dispatch and store. */
  private FerryStack on(FerryStack s) {
    s.withDispatch(dispatch);
    return "postgres".equals(store) ? s.onPostgres() : s;
  }


  static final String CUSTOMER = """
      {"externalId":"CRM-%s","name":"Muster GmbH","street":"Hauptstrasse","houseNumber":"5","postalCode":"69190",
       "city":"Walldorf","country":"%s","language":"de","currency":"EUR",
       "salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"}%s}
      """;

  @TempDir Path dir;
  private FerryStack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private Engine engine() throws Exception {
    if (stack == null) {
      stack = on(new FerryStack(dir, sap)).start();
    }
    return new Engine(stack.url(), stack.apiKey());
  }

  static String customer(String id, String country, String extra) {
    return CUSTOMER.formatted(id, country, extra);
  }

  @Test
  void createAnswers201WithTheNewCustomerNumber() throws Exception {
    Engine.Answer a = engine().post("/v1/customers", customer("1", "DE", ""));

    assertThat(a.status()).isEqualTo(201);
    String number = a.body().get("customerNumber").asText();
    assertThat(number).matches("\\d{10}");
    assertThat(a.header("Location")).endsWith("/v1/customers/" + number);
    assertThat(a.body().get("name").asText()).isEqualTo("Muster GmbH");
    assertThat(a.body().get("language").asText()).isEqualTo("de");
    assertThat(a.toString()).doesNotContain("null");

    Engine.Answer read = engine().get("/v1/customers/" + number);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body().get("city").asText()).isEqualTo("Walldorf");
    assertThat(read.header("ETag")).isNotBlank();
  }

  @Test
  void anUpdateIsVisibleOnTheNextReadWithANewETag() throws Exception {
    String number = engine().post("/v1/customers", customer("2", "DE", "")).body().get("customerNumber").asText();
    String before = engine().get("/v1/customers/" + number).header("ETag");

    Engine.Answer changed = engine().patch("/v1/customers/" + number, "{\"city\":\"Berlin\",\"postalCode\":\"10117\"}");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.body().get("city").asText()).isEqualTo("Berlin");

    Engine.Answer after = engine().get("/v1/customers/" + number);
    assertThat(after.body().get("city").asText()).isEqualTo("Berlin");
    assertThat(after.body().get("postalCode").asText()).isEqualTo("10117");
    assertThat(after.body().get("street").asText()).isEqualTo("Hauptstrasse");
    assertThat(after.header("ETag")).isNotBlank().isNotEqualTo(before);
  }

  @Test
  void anUpdateWithAStaleETagIs412AndWithTheCurrentOneIs200() throws Exception {
    String number = engine().post("/v1/customers", customer("9", "DE", "")).body().get("customerNumber").asText();
    String first = engine().get("/v1/customers/" + number).header("ETag");
    Engine.Answer changed = engine().patch("/v1/customers/" + number, "{\"city\":\"Berlin\"}", "If-Match", first);
    assertThat(changed.status()).isEqualTo(200);
    String current = changed.header("ETag");

    Engine.Answer stale = engine().patch("/v1/customers/" + number, "{\"city\":\"Hamburg\"}", "If-Match", first);
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.header("Content-Type")).startsWith("application/problem+json");
    assertThat(stale.body().get("code").asText()).isEqualTo("FERRY-AGENT-0120");
    assertThat(engine().get("/v1/customers/" + number).body().get("city").asText()).isEqualTo("Berlin");

    String bare = current.substring(1, current.length() - 1);
    Engine.Answer ok = engine().patch("/v1/customers/" + number,
        "{\"city\":\"Hamburg\",\"expectedVersion\":\"" + bare + "\"}");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body().get("city").asText()).isEqualTo("Hamburg");
  }

  @Test
  void threeRetriesWithOneIdempotencyKeyCreateOneCustomerInSap() throws Exception {
    Engine engine = engine();
    int creates = stack.sapCreates();
    String body = customer("10", "DE", "");
    Engine.Answer first = engine.post("/v1/customers", body, "Idempotency-Key", "CRM-10");
    Engine.Answer second = engine.post("/v1/customers", body, "Idempotency-Key", "CRM-10");
    Engine.Answer third = engine.post("/v1/customers", body, "Idempotency-Key", "CRM-10");
    for (Engine.Answer a : new Engine.Answer[] {first, second, third}) {
      assertThat(a.status()).isEqualTo(201);
      assertThat(a.body().get("customerNumber").asText()).isEqualTo(first.body().get("customerNumber").asText());
    }
    assertThat(third.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(stack.sapCreates()).as("one create reached SAP")
        .isEqualTo(creates + 1);
  }

  @Test
  void anInvalidCountryIsRefusedWithItsNameAndNeverReachesSap() throws Exception {
    Engine engine = engine();
    long sapCallsBefore = stack.sapCalls();

    Engine.Answer a = engine.post("/v1/customers", customer("3", "XX", ""));

    assertThat(a.status()).isEqualTo(422);
    assertThat(a.header("Content-Type")).startsWith("application/problem+json");
    assertThat(a.body().get("errors").get(0).get("field").asText()).isEqualTo("country");
    assertThat(a.body().get("detail").asText()).contains("country");
    assertThat(stack.sapCalls()).isEqualTo(sapCallsBefore);
  }

  @Test
  void sapRefusingAnUnknownReferenceCustomerAnswers422WithSapMessages() throws Exception {
    Assumptions.assumeTrue(sap == FerryStack.Sap.BAPI, "reference customers are a BAPI matter; OData uses the grouping");
    Engine.Answer a = engine().post("/v1/customers", customer("4", "DE", ",\"referenceCustomer\":\"9999\""));

    assertThat(a.status()).isEqualTo(422);
    assertThat(a.body().get("code").asText()).isNotBlank();
    assertThat(a.body().get("retryable").asBoolean()).isFalse();
    var messages = a.body().get("sapMessages");
    assertThat(messages).isNotEmpty();
    assertThat(messages.get(0).get("type").asText()).isEqualTo("E");
    assertThat(messages.get(0).get("message").asText()).contains("9999");
  }

  @Test
  void sapRefusingAnUnknownSalesAreaAnswers422WithSapMessagesOnEitherBackend() throws Exception {
    String body = customer("11", "DE", ",\"referenceCustomer\":\"1000\"").replace("\"salesOrganization\":\"1000\"",
        "\"salesOrganization\":\"9999\"");
    Engine.Answer a = engine().post("/v1/customers", body);

    assertThat(a.status()).isEqualTo(422);
    assertThat(a.body().get("retryable").asBoolean()).isFalse();
    var messages = a.body().get("sapMessages");
    assertThat(messages).isNotEmpty();
    assertThat(messages.get(0).get("type").asText()).isEqualTo("E");
    assertThat(messages.toString()).contains("9999");
  }

  @Test
  void anUnknownCustomerIs404() throws Exception {
    Engine.Answer a = engine().get("/v1/customers/0000999999");
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void aWrongOrMissingApiKeyIs401() throws Exception {
    Engine real = engine();
    Engine wrong = new Engine(stack.url(), "fk_not-a-key");
    Engine none = new Engine(stack.url(), null);

    for (Engine e : new Engine[] {wrong, none}) {
      Engine.Answer a = e.post("/v1/customers", customer("5", "DE", ""));
      assertThat(a.status()).isEqualTo(401);
      assertThat(a.header("Content-Type")).startsWith("application/problem+json");
    }
    assertThat(real.get("/v1/connection").status()).isEqualTo(200);
  }

  @Test
  void aSlowAgentAnswers202AndTheOperationCompletesLater() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    stack = on(new FerryStack(dir, sap, Duration.ofSeconds(1), sap -> new HeldSap(sap, release))).start();
    Engine engine = new Engine(stack.url(), stack.apiKey());

    Engine.Answer accepted = engine.post("/v1/customers", customer("6", "DE", ""));
    assertThat(accepted.status()).isEqualTo(202);
    String location = accepted.header("Location");
    assertThat(location).startsWith(stack.url().toString()).contains("/v1/operations/");
    assertThat(accepted.header("Retry-After")).matches("\\d+");
    assertThat(engine.awaitOperation(location, Duration.ZERO).status()).isEqualTo(202);

    release.countDown();
    Engine.Answer done = engine.awaitOperation(location, Duration.ofSeconds(20));
    assertThat(done.status()).isEqualTo(201);
    assertThat(done.body().get("customerNumber").asText()).matches("\\d{10}");
  }

  @Test
  void aJobAcceptedBeforeARelayRestartStillCompletes() throws Exception {
    Engine engine = engine();
    stack.stopAgent();
    // The stopped agent said goodbye and is offline: the relay accepts the job only because another agent of
    // the tenant was just enrolled (an enrollment counts as being seen), which never starts.
    io.ferry.agent.Agent.enroll(stack.agentConfig().withDataDir(dir.resolve("second-agent")), stack.enrollmentToken(),
        "second-agent");

    Engine.Answer accepted = engine.post("/v1/customers", customer("7", "DE", ""), "Prefer", "respond-async");
    assertThat(accepted.status()).isEqualTo(202);
    String location = accepted.header("Location");

    stack.stopRelay();
    stack.startRelay();
    stack.startAgent();

    Engine.Answer done = engine.awaitOperation(location, Duration.ofSeconds(20));
    assertThat(done.status()).isEqualTo(201);
    assertThat(done.body().get("externalId").asText()).isEqualTo("CRM-7");
  }

  @Test
  void anAgentToldToStopFinishesItsRunningJobAndDeliversTheResult() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch sapCalled = new CountDownLatch(1);
    stack = on(new FerryStack(dir, sap, Duration.ofSeconds(1), sap -> new HeldSap(sap, release, sapCalled))).start();
    Engine engine = new Engine(stack.url(), stack.apiKey());
    String location = engine.post("/v1/customers", customer("8", "DE", ""), "Prefer", "respond-async").header("Location");
    assertThat(sapCalled.await(10, TimeUnit.SECONDS)).as("the job reached SAP").isTrue();

    Thread stopping = Thread.ofPlatform().start(stack::stopAgent);
    release.countDown();
    stopping.join(Duration.ofSeconds(15));
    assertThat(stopping.isAlive()).as("agent stopped within its grace").isFalse();

    Engine.Answer done = engine.awaitOperation(location, Duration.ofSeconds(5));
    assertThat(done.status()).isEqualTo(201);
    assertThat(done.body().get("externalId").asText()).isEqualTo("CRM-8");
  }

  @Test
  void malformedJsonIs400() throws Exception {
    Engine.Answer a = engine().post("/v1/customers", "{\"name\": ");
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.header("Content-Type")).startsWith("application/problem+json");
  }

}
