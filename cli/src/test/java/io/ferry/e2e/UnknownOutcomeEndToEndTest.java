package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.status.AgentStatus;
import io.ferry.protocol.SearchQuery;
import io.ferry.sapsim.SapSimulator;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regression (issue 13, items 11 and 12), through a real relay and agent over HTTP: SAP commits a create
 * and its answer is lost (the RFC connection breaks after BAPI_TRANSACTION_COMMIT; the OData POST is
 * committed and answered 503). The engine used to get {@code 503 sap-unavailable, retryable}, replayed for
 * the same Idempotency-Key, while a new key made a duplicate. Now the agent finds the customer again and the
 * engine gets 201 — for the retry with the same key too — or, when it cannot look, {@code 502
 * outcome-unknown} that is not retryable; SAP never holds the customer twice.
 */
@ParameterizedClass(name = "SAP over {0}")
@EnumSource(FerryStack.Sap.class)
class UnknownOutcomeEndToEndTest {

  private static final String CUSTOMER = """
      {%s"name":"%s","street":"Hauptstrasse","houseNumber":"5","postalCode":"69190",
       "city":"Walldorf","country":"DE","language":"de","currency":"EUR",
       "salesArea":{"salesOrganization":"%s","distributionChannel":"10","division":"00"}}
      """;

  @Parameter FerryStack.Sap kind;
  @TempDir Path dir;
  private FerryStack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private Engine start(String correlationField) throws Exception {
    SapSimulator.instance().reset();
    stack = new FerryStack(dir, kind).withCorrelationField(correlationField).start();
    return new Engine(stack.url(), stack.apiKey());
  }

  private static String customer(String externalId, String name) {
    return CUSTOMER.formatted(externalId == null ? "" : "\"externalId\":\"" + externalId + "\",", name, "1000");
  }

  private int customersNamed(String name) throws Exception {
    try (SapBackend sap = stack.sap()) {
      return (int) sap.port(CustomerPort.class).orElseThrow().search(new SearchQuery(name, 50, null)).customers().stream()
          .filter(c -> name.equals(c.name())).count();
    }
  }

  @Test
  void aLostAnswerWithAnExternalIdIsAnswered201AndTheRetryGetsTheSameCustomer() throws Exception {
    Engine engine = start(null);
    stack.loseTheAnswerOfTheNextCreate();
    String body = customer("CRM-LOST-1", "Lost Answer One GmbH");

    Engine.Answer first = engine.post("/v1/customers", body, "Idempotency-Key", "lost-1");
    Engine.Answer retry = engine.post("/v1/customers", body, "Idempotency-Key", "lost-1");

    assertThat(first.status()).as(first.body().toString()).isEqualTo(201);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.body().get("customerNumber").asText()).isEqualTo(first.body().get("customerNumber").asText());
    assertThat(customersNamed("Lost Answer One GmbH")).isEqualTo(1);
  }

  @Test
  void aLostAnswerWithoutExternalIdIsFoundByTheJobsCorrelation() throws Exception {
    Engine engine = start(null);
    stack.loseTheAnswerOfTheNextCreate();
    String body = customer(null, "Lost Answer Two GmbH");

    Engine.Answer first = engine.post("/v1/customers", body, "Idempotency-Key", "lost-2");
    Engine.Answer retry = engine.post("/v1/customers", body, "Idempotency-Key", "lost-2");

    assertThat(first.status()).as(first.body().toString()).isEqualTo(201);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.body().get("customerNumber").asText()).isEqualTo(first.body().get("customerNumber").asText());
    assertThat(customersNamed("Lost Answer Two GmbH")).isEqualTo(1);
  }

  @Test
  void withCorrelationOffTheEngineIsToldTheOutcomeIsUnknownNotToRetry() throws Exception {
    Engine engine = start("none");
    stack.loseTheAnswerOfTheNextCreate();
    String body = customer(null, "Lost Answer Three GmbH");

    Engine.Answer first = engine.post("/v1/customers", body, "Idempotency-Key", "lost-3");
    Engine.Answer retry = engine.post("/v1/customers", body, "Idempotency-Key", "lost-3");

    assertThat(first.status()).as(first.body().toString()).isEqualTo(502);
    assertThat(first.body().get("type").asText()).isEqualTo("https://ferry.dev/problems/outcome-unknown");
    assertThat(first.body().get("retryable").asBoolean()).isFalse();
    assertThat(first.body().get("code").asText()).isEqualTo("FERRY-SAP-0007");
    assertThat(first.body().get("detail").asText()).contains("creating the customer").contains("created around");
    assertThat(first.header("Retry-After")).isNull();
    assertThat(retry.status()).isEqualTo(502);
    assertThat(stack.sapCreates()).isEqualTo(1);
    assertThat(customersNamed("Lost Answer Three GmbH")).isEqualTo(1);
  }

  @Test
  void aSalesAreaWithoutAReferenceCustomerIsANonRetryableConfigurationProblemTheOperatorSees() throws Exception {
    if (kind != FerryStack.Sap.BAPI) {
      return; // the OData backend creates through the partner grouping, without reference customers
    }
    Engine engine = start(null);
    SapSimulator.instance().addSalesArea("2000", "10", "00", "2000");

    Engine.Answer a = engine.post("/v1/customers",
        CUSTOMER.formatted("", "No Reference GmbH", "2000"));

    assertThat(a.status()).as(a.body().toString()).isEqualTo(422);
    assertThat(a.body().get("type").asText()).isEqualTo("https://ferry.dev/problems/sap-configuration");
    assertThat(a.body().get("retryable").asBoolean()).isFalse();
    assertThat(a.body().get("detail").asText()).contains("the agent has no sap.reference-customer.2000/10/00");
    assertThat(a.header("Retry-After")).isNull();
    assertThat(SapSimulator.instance().callCount("BAPI_CUSTOMER_CREATEFROMDATA1")).isZero();
    AgentStatus status = stack.agent().status();
    assertThat(status.missingSettings()).singleElement().satisfies(m -> {
      assertThat(m.setting()).isEqualTo("sap.reference-customer.2000/10/00");
      assertThat(m.jobs()).isEqualTo(1);
    });
  }
}
