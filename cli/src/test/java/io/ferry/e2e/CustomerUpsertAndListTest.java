package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.sap.SapBackend;
import io.ferry.protocol.Customer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upserts by external id and customer lists end to end: a relay and an agent on loopback, the agent on
 * either SAP backend, with the same answers from both.
 */
@ParameterizedClass(name = "SAP over {0}, jobs by {1}")
@MethodSource("io.ferry.e2e.CustomerLifecycleTest#stacks")
class CustomerUpsertAndListTest {

  @Parameter(0) FerryStack.Sap sap;
  @Parameter(1) FerryStack.Dispatch dispatch;

  static final String CUSTOMER = """
      {"name":"%s","street":"Hauptstrasse","houseNumber":"5","postalCode":"69190","city":"%s","country":"DE",
       "language":"de","currency":"EUR","salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"}%s}
      """;

  @TempDir Path dir;
  private FerryStack stack;
  /** Letters no other test's customers carry (the simulated SAP lives as long as the test JVM). */
  private final String tag = randomTag();

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private Engine engine() throws Exception {
    if (stack == null) {
      stack = new FerryStack(dir, sap).withDispatch(dispatch).start();
    }
    return new Engine(stack.url(), stack.apiKey());
  }

  private static String randomTag() {
    StringBuilder b = new StringBuilder("Q");
    for (int i = 0; i < 7; i++) {
      b.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
    }
    return b.toString();
  }

  static String customer(String name, String city, String extra) {
    return CUSTOMER.formatted(name, city, extra);
  }

  private String externalId(String suffix) {
    return (tag + "-" + suffix).toUpperCase(Locale.ROOT);
  }

  @Test
  void upsertingTwiceCreatesOnceThenUpdatesAndSapHoldsOneCustomerWithTheId() throws Exception {
    Engine engine = engine();
    String id = externalId("1");

    Engine.Answer first = engine.put("/v1/customers/by-external-id/" + id, customer("Muster GmbH", "Walldorf", ""));
    assertThat(first.status()).as(first.body().toString()).isEqualTo(201);
    assertThat(first.header("Ferry-Upsert")).isEqualTo("created");
    String number = first.body().get("customerNumber").asText();
    assertThat(first.header("Location")).endsWith("/v1/customers/" + number);
    assertThat(first.body().get("externalId").asText()).isEqualTo(id);

    Engine.Answer second = engine.put("/v1/customers/by-external-id/" + id,
        customer("Muster GmbH", "Berlin", ",\"externalId\":\"" + id + "\""));
    assertThat(second.status()).as(second.body().toString()).isEqualTo(200);
    assertThat(second.header("Ferry-Upsert")).isEqualTo("updated");
    assertThat(second.header("Location")).isNull();
    assertThat(second.body().get("customerNumber").asText()).isEqualTo(number);
    assertThat(second.body().get("city").asText()).isEqualTo("Berlin");
    assertThat(second.raw().body()).doesNotContain("null");

    try (SapBackend inSap = stack.sap()) {
      // findByExternalId fails when SAP holds two: present means exactly one.
      Optional<Customer> held = inSap.port(CustomerPort.class).orElseThrow().findByExternalId(id);
      assertThat(held).map(Customer::customerNumber).hasValue(number);
      assertThat(held.get().city()).isEqualTo("Berlin");
    }
    assertThat(engine.get("/v1/customers/" + number).body().get("city").asText()).isEqualTo("Berlin");
  }

  @Test
  void aBodyExternalIdOtherThanThePathsIs422AndNeverReachesSap() throws Exception {
    Engine engine = engine();
    int sapCalls = stack.sapCalls();

    Engine.Answer a = engine.put("/v1/customers/by-external-id/" + externalId("2"),
        customer("Muster GmbH", "Walldorf", ",\"externalId\":\"SOMETHING-ELSE\""));

    assertThat(a.status()).isEqualTo(422);
    assertThat(a.header("Content-Type")).startsWith("application/problem+json");
    assertThat(a.body().get("errors").get(0).get("field").asText()).isEqualTo("externalId");
    assertThat(a.body().get("detail").asText()).contains("externalId");
    assertThat(stack.sapCalls()).isEqualTo(sapCalls);
  }

  @Test
  void twoCustomersWithTheExternalIdInSapMakeTheUpsert422NamingBoth() throws Exception {
    Engine engine = engine();
    String id = externalId("3");
    String body = customer("Muster GmbH", "Walldorf", ",\"externalId\":\"" + id + "\"");
    String one = engine.post("/v1/customers", body).body().get("customerNumber").asText();
    String two = engine.post("/v1/customers", body).body().get("customerNumber").asText();

    Engine.Answer a = engine.put("/v1/customers/by-external-id/" + id, customer("Muster GmbH", "Berlin", ""));

    assertThat(a.status()).isEqualTo(422);
    assertThat(a.body().get("retryable").asBoolean()).isFalse();
    assertThat(a.body().get("detail").asText()).contains(id).contains(one).contains(two);
    assertThat(engine.get("/v1/customers/" + one).body().get("city").asText()).isEqualTo("Walldorf");
  }

  @Test
  void aListFindsTheCustomersWithTheTextAndPagesOneByOneToTheEndWithoutDuplicates() throws Exception {
    Engine engine = engine();
    List<String> created = new ArrayList<>();
    for (String name : new String[] {"Alpha " + tag + " GmbH", "Beta " + tag + " AG", "Gamma " + tag + " KG"}) {
      created.add(engine.put("/v1/customers/by-external-id/" + externalId(name.substring(0, 1)),
          customer(name, "Walldorf", "")).body().get("customerNumber").asText());
    }
    String unrelated = ("NOT-" + new StringBuilder(tag).reverse()).toUpperCase(Locale.ROOT);
    engine.put("/v1/customers/by-external-id/" + unrelated, customer("Unrelated Ltd", "Walldorf", ""));

    Engine.Answer all = engine.get("/v1/customers?search=" + tag);
    assertThat(all.status()).isEqualTo(200);
    assertThat(numbers(all.body())).containsExactlyElementsOf(created);
    assertThat(all.body().has("nextLink")).isFalse();
    assertThat(all.raw().body()).doesNotContain("null");

    List<String> paged = new ArrayList<>();
    String next = "/v1/customers?search=" + tag + "&top=1";
    int pages = 0;
    while (next != null) {
      Engine.Answer page = engine.get(next);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body().get("value")).hasSizeLessThanOrEqualTo(1);
      paged.addAll(numbers(page.body()));
      next = page.body().has("nextLink") ? page.body().get("nextLink").asText() : null;
      if (next != null) {
        assertThat(next).startsWith(stack.url().toString() + "/v1/customers?");
      }
      pages++;
      assertThat(pages).as("the pages end").isLessThan(10);
    }
    assertThat(paged).doesNotHaveDuplicates().containsExactlyElementsOf(created);

    assertThat(engine.get("/v1/customers?search=" + tag.toLowerCase(Locale.ROOT) + "-a").body().get("value"))
        .as("the external id is matched ignoring case").hasSize(1);
    // Issue 15: names too.
    assertThat(numbers(engine.get("/v1/customers?search=alpha%20" + tag.toLowerCase(Locale.ROOT)).body()))
        .as("a name is matched ignoring case").containsExactly(created.get(0));
    assertThat(engine.get("/v1/customers?top=0").status()).isEqualTo(422);
  }

  @Test
  void listingEveryCustomerPagesThroughAllOfThemInNumberOrder() throws Exception {
    Engine engine = engine();
    String a = engine.put("/v1/customers/by-external-id/" + externalId("A"), customer("Alpha " + tag, "Walldorf", ""))
        .body().get("customerNumber").asText();
    String b = engine.put("/v1/customers/by-external-id/" + externalId("B"), customer("Beta " + tag, "Walldorf", ""))
        .body().get("customerNumber").asText();

    List<String> seen = new ArrayList<>();
    String next = "/v1/customers?top=200";
    while (next != null) {
      JsonNode page = engine.get(next).body();
      seen.addAll(numbers(page));
      next = page.has("nextLink") ? page.get("nextLink").asText() : null;
    }
    assertThat(seen).doesNotHaveDuplicates().contains(a, b).isSorted();
  }

  @Test
  void aSlowUpsertAnswers202AndTheOperationThen201WithItsEffect() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    stack = new FerryStack(dir, sap, Duration.ofSeconds(1), s -> new HeldSap(s, release)).withDispatch(dispatch).start();
    Engine engine = new Engine(stack.url(), stack.apiKey());

    Engine.Answer accepted = engine.put("/v1/customers/by-external-id/" + externalId("S"),
        customer("Slow " + tag, "Walldorf", ""));
    assertThat(accepted.status()).isEqualTo(202);
    String location = accepted.header("Location");
    assertThat(location).startsWith(stack.url().toString()).contains("/v1/operations/");

    release.countDown();
    Engine.Answer done = engine.awaitOperation(location, Duration.ofSeconds(20));
    assertThat(done.status()).isEqualTo(201);
    assertThat(done.header("Ferry-Upsert")).isEqualTo("created");
    assertThat(done.header("Location")).endsWith("/v1/customers/" + done.body().get("customerNumber").asText());

    Engine.Answer again = engine.put("/v1/customers/by-external-id/" + externalId("S"),
        customer("Slow " + tag, "Berlin", ""));
    assertThat(again.status()).as("SAP answers at once now").isEqualTo(200);
    assertThat(again.header("Ferry-Upsert")).isEqualTo("updated");
  }

  private static List<String> numbers(JsonNode list) {
    List<String> n = new ArrayList<>();
    list.get("value").forEach(c -> n.add(c.get("customerNumber").asText()));
    return n;
  }

}
