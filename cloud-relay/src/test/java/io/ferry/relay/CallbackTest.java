package io.ferry.relay;

import io.ferry.relay.config.RelayConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.Protocol;
import io.ferry.testing.ManualClock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callbacks to a receiver on loopback that checks the Standard Webhooks signature like a real one. */
class CallbackTest {

  record Received(String id, String timestamp, String signature, String body) {}

  /** The receiver is on loopback: these relays allow callbacks there, as a developer's would. */
  private static final java.util.function.UnaryOperator<RelayConfig> LOOPBACK =
      c -> c.toBuilder().callbackLoopback(true).build();

  @TempDir
  Path dataDir;
  private HttpServer receiver;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  /** The status the receiver answers with, in turn; 200 once they are used up. */
  private final BlockingQueue<Integer> answers = new LinkedBlockingQueue<>();
  private final AtomicInteger hits = new AtomicInteger();

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      var h = exchange.getRequestHeaders();
      received.add(new Received(h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"),
          h.getFirst("webhook-signature"), new String(body, StandardCharsets.UTF_8)));
      hits.incrementAndGet();
      Integer status = answers.poll();
      exchange.sendResponseHeaders(status == null ? 200 : status, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private String hook() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook?flow=42";
  }

  @Test
  void theOutcomeIsPostedSignedWithTheKeysWebhookSecret() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, LOOPBACK)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      Reply accepted = tenant.engine().post("/v1/customers?callbackUrl=" + encode(hook()), Fixtures.CUSTOMER_JSON,
          "Prefer", "respond-async");
      assertThat(accepted.status()).isEqualTo(202);
      JobEnvelope job = agent.takeOne();
      agent.succeed(job, Fixtures.created(job.customer(), "0000100001"));

      Received r = received.poll(10, TimeUnit.SECONDS);
      assertThat(r).as("callback arrived").isNotNull();
      assertThat(r.id()).isEqualTo(job.jobId());
      assertThat(Long.parseLong(r.timestamp())).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
      assertThat(r.signature()).isEqualTo(sign(tenant.webhookSecret(), r.id(), r.timestamp(), r.body()));
      JsonNode event = Protocol.json().readTree(r.body());
      assertThat(event.get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(event.get("httpStatus").asInt()).isEqualTo(201);
      assertThat(event.get("action").asText()).isEqualTo("customer.create");
      assertThat(event.get("customer").get("customerNumber").asText()).isEqualTo("0000100001");
      // The same customer JSON the operation URL answers.
      Reply operation = tenant.engine().get(accepted.header("Location"));
      assertThat(event.get("customer")).isEqualTo(operation.json());
    }
  }

  @Test
  void anUpsertsOutcomeSaysWhetherSapCreatedOrChangedTheCustomer() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, LOOPBACK)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      Reply accepted = tenant.engine().put("/v1/customers/by-external-id/CRM-4711?callbackUrl=" + encode(hook()),
          Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      assertThat(accepted.status()).isEqualTo(202);
      JobEnvelope job = agent.takeOne();
      agent.upserted(job, job.customer().withCustomerNumber("0000100001"), io.ferry.protocol.JobResult.Effect.UPDATED);

      Received r = received.poll(10, TimeUnit.SECONDS);
      assertThat(r).as("callback arrived").isNotNull();
      JsonNode event = Protocol.json().readTree(r.body());
      assertThat(event.get("action").asText()).isEqualTo("customer.upsert");
      assertThat(event.get("httpStatus").asInt()).isEqualTo(200);
      assertThat(event.get("effect").asText()).isEqualTo("updated");
      assertThat(event.get("customer")).isEqualTo(tenant.engine().get(accepted.header("Location")).json());
    }
  }

  @Test
  void aFailedDeliveryIsRetriedWithBackOffAndSurvivesARestart() throws Exception {
    ManualClock clock = ManualClock.now();
    TestRelay relay = TestRelay.start(dataDir, LOOPBACK, clock);
    try {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      answers.add(503);
      tenant.engine().patch("/v1/customers/100001?callbackUrl=" + encode(hook()), "{\"city\":\"Berlin\"}",
          "application/merge-patch+json", "Prefer", "respond-async");
      JobEnvelope job = agent.takeOne();
      agent.succeed(job, Fixtures.sample("0000100001").toBuilder().city("Berlin").build());
      Received first = received.poll(10, TimeUnit.SECONDS);
      assertThat(first).isNotNull();

      relay = relay.restart(clock);
      clock.advance(Duration.ofSeconds(29));
      relay.relay.deliverDueCallbacks();
      assertThat(received.poll(1500, TimeUnit.MILLISECONDS)).as("not before the back-off").isNull();
      clock.advance(Duration.ofSeconds(1));
      relay.relay.deliverDueCallbacks();
      Received second = received.poll(10, TimeUnit.SECONDS);
      assertThat(second).as("retried after 30 s, by the restarted relay").isNotNull();
      assertThat(second.id()).isEqualTo(first.id());
      assertThat(second.body()).isEqualTo(first.body());
      assertThat(second.signature()).isEqualTo(sign(tenant.webhookSecret(), second.id(), second.timestamp(), second.body()));
      assertThat(Protocol.json().readTree(second.body()).get("httpStatus").asInt()).isEqualTo(200);
    } finally {
      relay.close();
    }
  }

  @Test
  void aFailedJobIsPostedWithItsProblem() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, LOOPBACK)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      tenant.engine().get("/v1/operations/01JD4Y6Q8V3T6R2M7K9X0B1C2D"); // unrelated traffic
      tenant.engine().post("/v1/customers?callbackUrl=" + encode(hook()), Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      JobEnvelope job = agent.takeOne();
      agent.fail(job, new io.ferry.protocol.JobError(io.ferry.protocol.JobError.Kind.SAP_BUSINESS_ERROR, "FERRY-SAP-0001",
          "SAP refused the customer", null));
      JsonNode event = Protocol.json().readTree(received.poll(10, TimeUnit.SECONDS).body());
      assertThat(event.get("status").asText()).isEqualTo("FAILED");
      assertThat(event.get("httpStatus").asInt()).isEqualTo(422);
      assertThat(event.get("problem").get("code").asText()).isEqualTo("FERRY-SAP-0001");
      assertThat(event.has("customer")).isFalse();
    }
  }

  @Test
  void anHttpCallbackUrlOutsideLoopbackIs400NamingTheParameter() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      tenant.enrollAgent();
      for (String bad : new String[] {"http://flows.example.com/hook", "ftp://x/y", "/relative", "https://user:pw@x.example/h"}) {
        Reply r = tenant.engine().post("/v1/customers?callbackUrl=" + encode(bad), Fixtures.CUSTOMER_JSON);
        assertThat(r.status()).as(bad).isEqualTo(400);
        assertThat(r.problem().code()).isEqualTo("FERRY-RELAY-0113");
        assertThat(r.problem().errors()).extracting(e -> e.field()).containsExactly("callbackUrl");
      }
    }
  }

  @Test
  void aCallbackUrlNamingAPrivateAddressIs422() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      tenant.enrollAgent();
      for (String bad : new String[] {"https://169.254.169.254/latest/meta-data", "https://10.0.0.1/hook",
          "https://[fd00::1]/hook", "https://0.0.0.0/hook"}) {
        Reply r = tenant.engine().post("/v1/customers?callbackUrl=" + encode(bad), Fixtures.CUSTOMER_JSON);
        assertThat(r.status()).as(bad).isEqualTo(422);
        assertThat(r.problem().errors()).extracting(e -> e.field()).containsExactly("callbackUrl");
      }
      Reply r = tenant.engine().post("/v1/customers?callbackUrl=" + encode("https://10.0.0.1/hook"), Fixtures.CUSTOMER_JSON);
      assertThat(r.problem().errors().get(0).message()).contains("relay.callback-private-networks");
    }
  }

  @Test
  void anOperatorMayAllowPrivateNetworks() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.toBuilder().callbackPrivateNetworks(true).build())) {
      TestRelay.Tenant tenant = relay.tenant();
      tenant.enrollAgent();
      Reply r = tenant.engine().post("/v1/customers?callbackUrl=" + encode("https://10.0.0.1/hook"),
          Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      assertThat(r.status()).isEqualTo(202);
    }
  }

  /** The receiver's side of Standard Webhooks. */
  private static String sign(String secret, String id, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    return "v1," + Base64.getEncoder().encodeToString(
        mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

}
