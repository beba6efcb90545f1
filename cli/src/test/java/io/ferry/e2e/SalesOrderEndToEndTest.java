package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.policy.AgentPolicy;
import io.ferry.protocol.Action;
import io.ferry.relay.auth.Scope;
import io.ferry.sapsim.SapSimulator;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sales orders end to end, as an integration engineer continuing a flow from a customer to an order sees them: a
 * relay and an agent on loopback, the agent on either SAP backend — BAPI against the simulated SAP behind the JCo
 * API, OData against the peer's {@code API_SALES_ORDER_SRV} — each with its pricing, number range and messages, and
 * the same answers from both; the agent's policy allows the order actions.
 */
@ParameterizedClass(name = "SAP over {0}")
@EnumSource(FerryStack.Sap.class)
class SalesOrderEndToEndTest {

  @Parameter FerryStack.Sap backend;

  static final String ORDER = """
      {"salesOrderType":"OR","salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"},
       "soldToParty":"%s","purchaseOrderByCustomer":"%s","requestedDeliveryDate":"2027-01-31",
       "items":[{"material":"%s","requestedQuantity":2,"unit":"PC","plant":"1000"},
                {"material":"FERRY-200","requestedQuantity":3,"unit":"PC"}]}
      """;

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

  private Engine engine() throws Exception {
    if (stack == null) {
      stack = new FerryStack(dir, backend).withAgent(c -> c.withPolicy(ordersAllowed())).start();
    }
    return new Engine(stack.url(), stack.apiKey());
  }

  static AgentPolicy ordersAllowed() {
    return AgentPolicy.defaults().withActions(Action.values());
  }

  private String customer;

  /** A customer of sales area 1000/10/00 in this test's SAP, created through Ferry once. */
  private String customerInSalesArea() throws Exception {
    if (customer == null) {
      customer = engine().post("/v1/customers", CustomerLifecycleTest.customer("SO-" + backend, "DE", ""))
          .body().get("customerNumber").asText();
    }
    return customer;
  }

  static String order(String soldTo, String reference, String material) {
    return ORDER.formatted(soldTo, reference, material);
  }

  @Test
  void aCustomerThenAnOrderForItPricedAndNumberedBySapAndReadBack() throws Exception {
    String customer = customerInSalesArea();

    Engine.Answer created = engine().post("/v1/sales-orders", order(customer, "PO-4711", "FERRY-100"));

    assertThat(created.status()).isEqualTo(201);
    String number = created.body().get("salesOrder").asText();
    assertThat(number).matches("\\d{10}").isEqualTo("0005000000");
    assertThat(created.header("Location")).isEqualTo("/v1/sales-orders/" + number);
    assertThat(created.body().get("soldToParty").asText()).isEqualTo(customer);
    assertThat(created.body().get("purchaseOrderByCustomer").asText()).isEqualTo("PO-4711");
    // 2 × 99.90 + 3 × 24.50, as the simulated condition table prices them.
    assertThat(created.body().get("netAmount").decimalValue()).isEqualByComparingTo("273.30");
    assertThat(created.body().get("currency").asText()).isEqualTo("EUR");
    assertThat(created.body().at("/items/0/item").asText()).isEqualTo("10");
    assertThat(created.body().at("/items/1/item").asText()).isEqualTo("20");
    assertThat(created.body().at("/items/1/netAmount").decimalValue()).isEqualByComparingTo("73.50");
    assertThat(created.body().at("/items/1/plant").asText()).isEqualTo("1000");
    assertThat(StreamSupport.stream(created.body().get("sapMessages").spliterator(), false)
        .anyMatch(m -> "V1".equals(m.path("id").asText()) && "311".equals(m.path("number").asText()))).isTrue();
    assertThat(created.toString()).doesNotContain("null");

    Engine.Answer read = engine().get("/v1/sales-orders/" + number);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body().get("netAmount").decimalValue()).isEqualByComparingTo("273.30");
    assertThat(read.body().get("items")).hasSize(2);
    assertThat(read.body().get("requestedDeliveryDate").asText()).isEqualTo("2027-01-31");
    assertThat(read.body().get("purchaseOrderByCustomer").asText()).isEqualTo("PO-4711");
    assertThat(stack.sapSalesOrders()).isEqualTo(1);
  }

  @Test
  void sapsRefusalsArriveAs422WithSapsMessagesAndNothingIsCreated() throws Exception {
    Engine.Answer unknownMaterial = engine().post("/v1/sales-orders", order(customerInSalesArea(), "PO-1", "NO-SUCH-MATERIAL"));
    assertThat(unknownMaterial.status()).isEqualTo(422);
    assertThat(unknownMaterial.body().get("type").asText()).endsWith("sap-business-error");
    assertThat(unknownMaterial.body().toString()).contains("NO-SUCH-MATERIAL").contains("\"V1\"").contains("392");
    if (backend == FerryStack.Sap.BAPI) {
      // The BAPI's trailer after any error: V4 219 "Sales document was not changed".
      assertThat(unknownMaterial.body().toString()).contains("\"V4\"").contains("219");
    }

    Engine.Answer unknownCustomer = engine().post("/v1/sales-orders", order("999999", "PO-2", "FERRY-100"));
    assertThat(unknownCustomer.status()).isEqualTo(422);
    assertThat(unknownCustomer.body().toString()).contains("\"VP\"").contains("206");

    stack.blockOrders(customerInSalesArea());
    Engine.Answer blocked = engine().post("/v1/sales-orders", order(customerInSalesArea(), "PO-3", "FERRY-100"));
    assertThat(blocked.status()).isEqualTo(422);
    assertThat(blocked.body().toString()).contains("blocked");

    Engine.Answer wrongPlant = engine().post("/v1/sales-orders", order(customerInSalesArea(), "PO-4", "FERRY-100")
        .replace("\"plant\":\"1000\"", "\"plant\":\"1100\""));
    assertThat(wrongPlant.status()).isEqualTo(422);
    assertThat(stack.sapSalesOrders()).isZero();
  }

  @Test
  void anInvalidOrderIs422NamingTheFieldsAndNeverReachesSap() throws Exception {
    engine();
    int before = stack.sapCalls();

    Engine.Answer a = engine().post("/v1/sales-orders", """
        {"salesOrderType":"OR","salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"},
         "soldToParty":"100001","items":[{"material":"FERRY-100","requestedQuantity":-1,"unit":"PC"}],
         "netAmount":5}
        """);

    assertThat(a.status()).isEqualTo(422);
    assertThat(a.body().get("errors").toString()).contains("items[0].requestedQuantity")
        .contains("purchaseOrderByCustomer").contains("netAmount");
    assertThat(stack.sapCalls()).isEqualTo(before);
  }

  @Test
  void theSameIdempotencyKeyAnswersTheFirstOrderAndSapHasOne() throws Exception {
    Engine.Answer first = engine().post("/v1/sales-orders", order(customerInSalesArea(), "PO-6", "FERRY-100"), "Idempotency-Key", "k-1");
    Engine.Answer again = engine().post("/v1/sales-orders", order(customerInSalesArea(), "PO-6", "FERRY-100"), "Idempotency-Key", "k-1");

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.body().get("salesOrder")).isEqualTo(first.body().get("salesOrder"));
    assertThat(stack.sapSalesOrders()).isEqualTo(1);
  }

  @Test
  void aReferenceSapHoldsAlreadyIsAnsweredWithThatOrderNotASecondOne() throws Exception {
    Engine.Answer first = engine().post("/v1/sales-orders", order(customerInSalesArea(), "PO-AGAIN", "FERRY-100"));
    Engine.Answer again = engine().post("/v1/sales-orders", order(customerInSalesArea(), "PO-AGAIN", "FERRY-100"));

    assertThat(again.status()).isEqualTo(201);
    assertThat(again.body().get("salesOrder")).isEqualTo(first.body().get("salesOrder"));
    assertThat(again.body().get("sapMessages").toString()).contains("\"FERRY\"").contains("was not created again");
    assertThat(stack.sapSalesOrders()).isEqualTo(1);
  }

  @Test
  void aCreateWhoseAnswerSapLostIsFoundByItsReferenceNotMadeTwice() throws Exception {
    engine();
    stack.loseTheAnswerOfTheNextCreate();

    Engine.Answer a = engine().post("/v1/sales-orders", order(customerInSalesArea(), "PO-LOST", "FERRY-100"));

    assertThat(a.status()).isEqualTo(201);
    assertThat(stack.sapSalesOrders()).isEqualTo(1);
    assertThat(a.body().get("purchaseOrderByCustomer").asText()).isEqualTo("PO-LOST");
  }

  @Test
  void anOrderSapDoesNotHoldIs404() throws Exception {
    Engine.Answer a = engine().get("/v1/sales-orders/4999999");

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.body().get("type").asText()).endsWith("sales-order-not-found");
  }

  @Test
  void anAgentWhosePolicyDoesNotNameOrdersRefusesThemAndAKeyWithoutTheScopeCannotAsk() throws Exception {
    stack = new FerryStack(dir, backend).start(); // the default policy: customers only
    Engine engine = new Engine(stack.url(), stack.apiKey());

    Engine.Answer refused = engine.post("/v1/sales-orders", order(customerInSalesArea(), "PO-7", "FERRY-100"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().get("code").asText()).isEqualTo(AgentPolicy.ACTION_FORBIDDEN);
    assertThat(stack.sapSalesOrders()).isZero();

    String customersOnly = stack.admin().createApiKey(stack.tenant(), Set.of(Scope.CUSTOMERS_READ,
        Scope.CUSTOMERS_WRITE), null).key();
    Engine.Answer noScope = new Engine(stack.url(), customersOnly).post("/v1/sales-orders",
        order(customerInSalesArea(), "PO-8", "FERRY-100"));
    assertThat(noScope.status()).isEqualTo(403);
    assertThat(noScope.body().get("type").asText()).endsWith("insufficient-scope");
    // Nor may it follow an order's operation.
    Engine.Answer async = engine.post("/v1/sales-orders", order(customerInSalesArea(), "PO-9", "FERRY-100"), "Prefer",
        "respond-async");
    assertThat(async.status()).isEqualTo(202);
    Engine.Answer op = new Engine(stack.url(), customersOnly)
        .get(java.net.URI.create(async.header("Location")).getPath());
    assertThat(op.status()).isEqualTo(403);
    assertThat(op.body().get("type").asText()).endsWith("insufficient-scope");
  }

  @Test
  void aBatchOfOrdersCreatesEachValidOneAndReportsEveryRecord() throws Exception {
    String soldTo = customerInSalesArea();
    String batch = "[" + order(soldTo, "B-1", "FERRY-100") + "," + order(soldTo, "B-2", "NO-SUCH-MATERIAL") + ","
        + "{\"salesOrderType\":\"OR\"}," + order(soldTo, "B-4", "FERRY-300").replace("\"unit\":\"PC\",\"plant\"",
        "\"unit\":\"H\",\"plant\"") + "]";

    Engine.Answer accepted = engine().post("/v1/sales-order-batches?errorHandling=continue", batch);
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.body().get("mode").asText()).isEqualTo("create");
    Engine.Answer done = engine().awaitOperation(accepted.header("Location"), java.time.Duration.ofSeconds(60));

    assertThat(done.status()).isEqualTo(200);
    assertThat(done.body().get("succeeded").asInt()).isEqualTo(2);
    assertThat(done.body().get("failed").asInt()).isEqualTo(2);
    com.fasterxml.jackson.databind.JsonNode results = engine().awaitOperation(done.body().get("results").asText(),
        java.time.Duration.ofSeconds(5)).body().get("value");
    assertThat(results).hasSize(4);
    assertThat(results.get(0).get("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(results.get(0).get("purchaseOrderByCustomer").asText()).isEqualTo("B-1");
    assertThat(results.get(0).get("salesOrder").asText()).matches("\\d{10}");
    assertThat(results.get(1).get("outcome").asText()).isEqualTo("FAILED");
    assertThat(results.get(1).at("/problem/sapMessages").toString()).contains("392");
    assertThat(results.get(2).at("/problem/errors").toString()).contains("soldToParty").contains("items");
    assertThat(results.get(3).get("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(stack.sapSalesOrders()).isEqualTo(2);
    // Each order as SAP holds it, with its items as the record nested them.
    Engine.Answer fourth = engine().get("/v1/sales-orders/" + results.get(3).get("salesOrder").asText());
    assertThat(fourth.body().at("/items/0/unit").asText()).isEqualTo("H");
    assertThat(fourth.body().get("items")).hasSize(2);

    // CSV cannot carry the items.
    assertThat(engine().post("/v1/sales-order-batches", "a,b\n1,2", "text/csv", new String[0]).status())
        .isEqualTo(415);
  }
}
