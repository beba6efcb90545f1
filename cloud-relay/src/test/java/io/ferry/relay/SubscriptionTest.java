package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.ferry.protocol.Customer;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.change.ChangeBatch;
import io.ferry.protocol.change.ChangeEvent;
import io.ferry.relay.auth.Scope;
import io.ferry.relay.config.RelayConfig;
import io.ferry.testing.ManualClock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook subscriptions end to end: an engine subscribes over HTTP, an agent posts changes over the agent API,
 * a receiver on loopback checks each POST's Standard Webhooks signature as an engine would.
 */
class SubscriptionTest {

  record Received(String id, String timestamp, String signature, String body) {}

  private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
  private static final UnaryOperator<RelayConfig> LOOPBACK = c -> c.toBuilder().callbackLoopback(true).build();

  @TempDir Path dataDir;
  private HttpServer receiver;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  /** The status the receiver answers with, in turn; {@link #otherwise} once they are used up. */
  private final BlockingQueue<Integer> answers = new LinkedBlockingQueue<>();
  private volatile int otherwise = 200;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      var h = exchange.getRequestHeaders();
      received.add(new Received(h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"),
          h.getFirst("webhook-signature"), new String(body, StandardCharsets.UTF_8)));
      Integer status = answers.poll();
      exchange.sendResponseHeaders(status == null ? otherwise : status, -1);
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

  private static ChangeEvent change(String type, String number, int second) {
    Customer customer = new Customer(number, "EXT-" + number, "Customer " + number, null, null, null, null, null,
        null, "DE", null, null, null, null, null, null, null, null);
    return ChangeEvent.of(type, number, "EXT-" + number, T0.plusSeconds(second), customer);
  }

  private static void post(FakeAgent agent, List<ChangeEvent> events) {
    Reply r = agent.postWith(agent.authorization("POST", Protocol.CHANGES_PATH), Protocol.CHANGES_PATH,
        new ChangeBatch(Protocol.VERSION, events));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  private Reply subscribe(Engine engine, String events) {
    return engine.post("/v1/subscriptions", "{\"events\":" + events + ",\"url\":\"" + hook() + "\"}");
  }

  private String subscribed(TestRelay relay, Engine engine, String events) {
    Reply r = subscribe(engine, events);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    String id = r.json().get("id").asText();
    assertThat(r.header("Location")).isEqualTo(relay.base() + "/v1/subscriptions/" + id);
    assertThat(r.json().get("status").asText()).isEqualTo("active");
    assertThat(r.json().get("url").asText()).isEqualTo(hook());
    return id;
  }

  private List<Received> take(int n) throws InterruptedException {
    List<Received> got = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Received r = received.poll(10, TimeUnit.SECONDS);
      assertThat(r).as("delivery " + (i + 1) + " of " + n).isNotNull();
      got.add(r);
    }
    return got;
  }

  @Test
  void eachNewChangeIsPostedOnceInOrderSignedAndOnlyOfTheTypesAskedFor() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, LOOPBACK)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      ChangeEvent before = change(ChangeEvent.CUSTOMER_CHANGED, "0000100009", 0);
      post(agent, List.of(before)); // before the subscription: not delivered
      String id = subscribed(relay, tenant.engine(), "[\"customer.changed\"]");

      ChangeEvent a = change(ChangeEvent.CUSTOMER_CHANGED, "0000100001", 1);
      ChangeEvent created = change(ChangeEvent.CUSTOMER_CREATED, "0000100002", 2);
      ChangeEvent b = change(ChangeEvent.CUSTOMER_CHANGED, "0000100003", 3);
      post(agent, List.of(a, created));
      post(agent, List.of(b, a)); // a again: a repeat, not a new event

      List<Received> got = take(2);
      assertThat(got).extracting(Received::id).containsExactly(a.id(), b.id());
      for (Received r : got) {
        assertThat(r.signature()).isEqualTo(sign(tenant.webhookSecret(), r.id(), r.timestamp(), r.body()));
      }
      // The body is the event as the feed shows it.
      JsonNode feed = tenant.engine().get("/v1/customer-changes").json().get("value").get(1);
      assertThat(feed.get("id").asText()).isEqualTo(a.id());
      assertThat(Protocol.json().readTree(got.get(0).body())).isEqualTo(feed);
      assertThat(received.poll(1500, TimeUnit.MILLISECONDS)).as("nothing more: no created, no repeat").isNull();

      JsonNode state = waitFor(tenant.engine(), id, s -> s.get("delivered").asLong() == 2);
      assertThat(state.has("lastDeliveredAt")).isTrue();
      assertThat(state.has("lastError")).isFalse();
      Reply list = tenant.engine().get("/v1/subscriptions");
      assertThat(list.json().get("value")).extracting(v -> v.get("id").asText()).containsExactly(id);
    }
  }

  @Test
  void aFailedEventIsRetriedAfterBackOffAcrossARestartAndNothingIsLostOrReordered() throws Exception {
    ManualClock clock = new ManualClock(T0);
    TestRelay relay = TestRelay.start(dataDir, LOOPBACK, clock);
    try {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      String id = subscribed(relay, tenant.engine(), "[\"customer.created\",\"customer.changed\"]");
      answers.add(500);
      ChangeEvent a = change(ChangeEvent.CUSTOMER_CREATED, "0000200001", 1);
      ChangeEvent b = change(ChangeEvent.CUSTOMER_CHANGED, "0000200001", 2);
      post(agent, List.of(a, b));
      assertThat(take(1)).extracting(Received::id).containsExactly(a.id());
      assertThat(received.poll(1500, TimeUnit.MILLISECONDS)).as("b waits behind the failed a").isNull();
      JsonNode failing = waitFor(tenant.engine(), id, s -> s.has("lastError"));
      assertThat(failing.get("lastError").asText()).isEqualTo("HTTP 500");
      assertThat(Instant.parse(failing.get("failingSince").asText())).isEqualTo(T0);

      relay = relay.restart(clock);
      TestRelay.Tenant again = new TestRelay.Tenant(relay, tenant.id(), tenant.apiKey(), tenant.webhookSecret());
      relay.relay.deliverSubscriptions();
      assertThat(received.poll(1500, TimeUnit.MILLISECONDS)).as("not before the back-off").isNull();
      clock.advance(Duration.ofSeconds(30));
      relay.relay.deliverSubscriptions();
      List<Received> got = take(2);
      assertThat(got).extracting(Received::id).containsExactly(a.id(), b.id());
      // The receiver had b a moment before the relay stored its position: wait for that.
      JsonNode healed = waitFor(again.engine(), id, s -> s.get("delivered").asLong() == 2);
      assertThat(healed.get("delivered").asLong()).isEqualTo(2);
      assertThat(healed.get("failed").asLong()).isEqualTo(1);
      assertThat(healed.has("lastError")).isFalse();
      assertThat(healed.has("failingSince")).isFalse();
    } finally {
      relay.close();
    }
  }

  @Test
  void aUrlFailingFor24HoursDisablesTheSubscriptionWithAnAuditEvent() throws Exception {
    ManualClock clock = new ManualClock(T0);
    try (TestRelay relay = TestRelay.start(dataDir, LOOPBACK, clock)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      otherwise = 503;
      String id = subscribed(relay, tenant.engine(), "[\"customer.changed\"]");
      post(agent, List.of(change(ChangeEvent.CUSTOMER_CHANGED, "0000300001", 1)));
      take(1);
      // The failure is recorded at the clock's time: let it be, before the clock moves on.
      assertThat(Instant.parse(waitFor(tenant.engine(), id, s -> s.has("failingSince")).get("failingSince").asText()))
          .isEqualTo(T0);
      clock.advance(Duration.ofHours(23));
      relay.relay.deliverSubscriptions();
      take(1);
      JsonNode stillActive = waitFor(tenant.engine(), id, s -> s.get("failed").asLong() == 2);
      assertThat(stillActive.get("status").asText()).isEqualTo("active");

      clock.advance(Duration.ofHours(1));
      relay.relay.deliverSubscriptions();
      take(1);
      JsonNode disabled = waitForStatus(tenant.engine(), id, "disabled");
      assertThat(disabled.get("disabledReason").asText()).contains("24 h");
      Engine admin = new Engine(relay.base(), relay.relay.admin().createApiKey(tenant.id(), Set.of(Scope.ADMIN), null)
          .key());
      JsonNode events = admin.get("/admin/v1/audit?action=subscription.disabled").json().get("events");
      assertThat(events).hasSize(1);
      assertThat(events.get(0).get("subject").asText()).isEqualTo(id);
      assertThat(events.get(0).toString()).doesNotContain("flow=42");
      JsonNode adminList = admin.get("/admin/v1/subscriptions").json().get("subscriptions");
      assertThat(adminList).extracting(v -> v.get("status").asText()).containsExactly("disabled");

      otherwise = 200;
      clock.advance(Duration.ofHours(2));
      relay.relay.deliverSubscriptions();
      assertThat(received.poll(1500, TimeUnit.MILLISECONDS)).as("a disabled subscription gets nothing").isNull();
    }
  }

  @Test
  void deleteStopsDeliveriesAndASecondDeleteIs404AndARevokedKeysSubscriptionIsDisabled() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, LOOPBACK)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      String id = subscribed(relay, tenant.engine(), "[\"customer.changed\"]");
      assertThat(tenant.engine().delete("/v1/subscriptions/" + id).status()).isEqualTo(204);
      assertThat(tenant.engine().delete("/v1/subscriptions/" + id).status()).isEqualTo(404);
      assertThat(tenant.engine().get("/v1/subscriptions/" + id).status()).isEqualTo(404);
      post(agent, List.of(change(ChangeEvent.CUSTOMER_CHANGED, "0000400001", 1)));
      assertThat(received.poll(1500, TimeUnit.MILLISECONDS)).as("deleted: nothing delivered").isNull();

      var key = relay.relay.admin().createApiKey(tenant.id());
      Engine other = new Engine(relay.base(), key.key());
      String kept = subscribed(relay, other, "[\"customer.changed\"]");
      relay.relay.admin().revokeApiKey(tenant.id(), key.id());
      post(agent, List.of(change(ChangeEvent.CUSTOMER_CHANGED, "0000400002", 2)));
      JsonNode disabled = waitForStatus(tenant.engine(), kept, "disabled");
      assertThat(disabled.get("disabledReason").asText()).contains("revoked");
      assertThat(received.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void validationScopeAndTenantIsolation() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      // Loopback is refused unless relay.callback-loopback: the callback rules apply exactly.
      Reply loopback = subscribe(tenant.engine(), "[\"customer.changed\"]");
      assertThat(loopback.status()).isEqualTo(422);
      assertThat(loopback.problem().errors()).extracting(Problem.FieldError::field).containsExactly("url");
      for (String events : List.of("[]", "[\"customer.deleted\"]", "\"customer.changed\"")) {
        Reply bad = tenant.engine().post("/v1/subscriptions",
            "{\"events\":" + events + ",\"url\":\"https://flows.example.com/hook\"}");
        assertThat(bad.status()).as(events).isEqualTo(422);
        assertThat(bad.problem().errors()).extracting(Problem.FieldError::field).containsExactly("events");
      }
      Reply http = tenant.engine().post("/v1/subscriptions",
          "{\"events\":[\"customer.changed\"],\"url\":\"http://flows.example.com/hook\"}");
      assertThat(http.status()).isEqualTo(422);
      assertThat(http.problem().errors()).extracting(Problem.FieldError::field).containsExactly("url");

      Reply made = tenant.engine().post("/v1/subscriptions",
          "{\"events\":[\"customer.changed\"],\"url\":\"https://flows.example.com/hook\"}");
      assertThat(made.status()).as(made.toString()).isEqualTo(201);
      String id = made.json().get("id").asText();

      TestRelay.Tenant other = relay.tenant();
      assertThat(other.engine().get("/v1/subscriptions/" + id).status()).isEqualTo(404);
      assertThat(other.engine().delete("/v1/subscriptions/" + id).status()).isEqualTo(404);
      assertThat(other.engine().get("/v1/subscriptions").json().get("value")).isEmpty();
      assertThat(tenant.engine().get("/v1/subscriptions/" + id).status()).isEqualTo(200);

      Engine readOnly = new Engine(relay.base(),
          relay.relay.admin().createApiKey(tenant.id(), Set.of(Scope.CHANGES_READ), null).key());
      assertThat(readOnly.post("/v1/subscriptions",
          "{\"events\":[\"customer.changed\"],\"url\":\"https://flows.example.com/hook\"}").status()).isEqualTo(403);
      assertThat(readOnly.get("/v1/subscriptions").status()).isEqualTo(403);
      assertThat(readOnly.delete("/v1/subscriptions/" + id).status()).isEqualTo(403);
    }
  }

  /** Delivery state is written on the delivery thread: wait for it (bounded), never asserting how long it took. */
  private static JsonNode waitForStatus(Engine engine, String id, String status) throws InterruptedException {
    return waitFor(engine, id, s -> s.get("status").asText().equals(status));
  }

  /** The subscription once {@code until} holds for it; fails when it never does within ten seconds. */
  private static JsonNode waitFor(Engine engine, String id, java.util.function.Predicate<JsonNode> until)
      throws InterruptedException {
    JsonNode s = null;
    for (int i = 0; i < 100; i++) {
      Reply r = engine.get("/v1/subscriptions/" + id);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      s = r.json();
      if (until.test(s)) {
        return s;
      }
      Thread.sleep(100);
    }
    assertThat(until.test(s)).as("subscription reached the state: " + s).isTrue();
    return s;
  }

  private static String sign(String secret, String id, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    return "v1," + Base64.getEncoder().encodeToString(
        mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }
}
