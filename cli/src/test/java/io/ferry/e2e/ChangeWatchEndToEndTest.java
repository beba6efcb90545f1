package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.agent.changes.ChangeSettings;
import io.ferry.protocol.change.ChangeEvent;
import io.ferry.sapsim.SapSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SAP to the engines, as a CRM-sync flow sees it: an agent started with {@code agent.changes.customers.enabled=true}
 * watches SAP (change documents over RFC, the business partner's change dates over OData); a customer an engine
 * creates through Ferry, and a change made in SAP past Ferry while the agent and then the relay were down, both reach
 * {@code GET /v1/customer-changes} — once each, whatever the watcher's overlap finds again.
 */
class ChangeWatchEndToEndTest {

  static final Duration INTERVAL = Duration.ofSeconds(5);

  @TempDir Path dir;
  private FerryStack stack;

  @BeforeEach
  void resetSap() {
    SapSimulator.instance().reset();
  }

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @ParameterizedTest
  @EnumSource(FerryStack.Sap.class)
  void createdThroughFerryAndChangedInSapAcrossRestartsEachReachesTheFeedOnce(FerryStack.Sap sap) throws Exception {
    stack = new FerryStack(dir, sap).withAgent(c -> c.withChanges(ChangeSettings.OFF.withCustomers(true)
        .withInterval(INTERVAL))).withRelay(c -> c.toBuilder().callbackLoopback(true).build()).start();
    Engine engine = new Engine(stack.url(), stack.apiKey());
    Engine.Answer subscribed = engine.post("/v1/subscriptions", "{\"events\":[\"customer.created\",\"customer.changed\"],"
        + "\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/crm\"}");
    assertThat(subscribed.status()).as(String.valueOf(subscribed.body())).isEqualTo(201);

    String number = engine.post("/v1/customers", CustomerLifecycleTest.CUSTOMER.formatted("W1", "DE", ""))
        .body().get("customerNumber").asText();
    JsonNode created = awaitEvent(engine, number, ChangeEvent.CUSTOMER_CREATED);
    assertThat(created.get("externalId").asText()).isEqualTo("CRM-W1");
    assertThat(created.get("id").asText()).startsWith("chg_");
    assertThat(created.at("/customer/name").asText()).as("the customer as SAP held it").isNotBlank();

    // A clerk changes the customer in SAP while the agent is stopped; the relay restarts before the agent is back.
    stack.stopAgent();
    stack.changeDirectlyInSap(number);
    stack.stopRelay();
    stack.startRelay();
    stack.startAgent();
    awaitEvent(engine, number, ChangeEvent.CUSTOMER_CHANGED);

    // A second customer's creation found after those proves the watcher scanned again over the same window.
    String other = engine.post("/v1/customers", CustomerLifecycleTest.CUSTOMER.formatted("W2", "DE", ""))
        .body().get("customerNumber").asText();
    awaitEvent(engine, other, ChangeEvent.CUSTOMER_CREATED);
    List<String> types = new ArrayList<>();
    for (JsonNode e : feed(engine)) {
      if (e.get("customerNumber").asText().equals(number)) {
        types.add(e.get("type").asText());
      }
    }
    assertThat(types).as("each change of " + number + " once, in order")
        .containsExactly(ChangeEvent.CUSTOMER_CREATED, ChangeEvent.CUSTOMER_CHANGED);

    // The subscribed webhook got the same changes, each once, in the feed's order, signed.
    long deadline = System.nanoTime() + INTERVAL.multipliedBy(12).toNanos();
    while (delivered(other).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    assertThat(delivered(number)).as("webhook deliveries of " + number)
        .containsExactly(ChangeEvent.CUSTOMER_CREATED, ChangeEvent.CUSTOMER_CHANGED);
    assertThat(deliveries).allSatisfy(d -> assertThat(d.signature()).startsWith("v1,"));
  }

  /** One POST the webhook receiver got. */
  record Delivery(String webhookId, String signature, JsonNode event) {}

  private final List<Delivery> deliveries = new java.util.concurrent.CopyOnWriteArrayList<>();
  private com.sun.net.httpserver.HttpServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/crm", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("webhook-id"),
          exchange.getRequestHeaders().getFirst("webhook-signature"),
          io.ferry.protocol.Protocol.json().readTree(body)));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  /** The types of the events delivered for {@code customer}, in arrival order. */
  private List<String> delivered(String customer) {
    return deliveries.stream().filter(d -> d.event().get("customerNumber").asText().equals(customer))
        .map(d -> d.event().get("type").asText()).toList();
  }

  /** The event of {@code type} for {@code customer} once the feed has it; the wait is the watcher's schedule. */
  private static JsonNode awaitEvent(Engine engine, String customer, String type) throws Exception {
    long deadline = System.nanoTime() + INTERVAL.multipliedBy(12).toNanos();
    while (true) {
      for (JsonNode e : feed(engine)) {
        if (e.get("customerNumber").asText().equals(customer) && e.get("type").asText().equals(type)) {
          return e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + type + " event of " + customer + " in the feed: " + feed(engine));
      }
      Thread.sleep(250); // an engine's polling interval, not a wait for the event itself
    }
  }

  /** The whole feed, following nextLink as an engine would. */
  private static List<JsonNode> feed(Engine engine) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    String next = "/v1/customer-changes?top=100";
    while (next != null) {
      Engine.Answer page = engine.get(next);
      assertThat(page.status()).as(String.valueOf(page.body())).isEqualTo(200);
      page.body().get("value").forEach(events::add);
      next = page.body().hasNonNull("nextLink") ? page.body().get("nextLink").asText() : null;
    }
    return events;
  }
}
