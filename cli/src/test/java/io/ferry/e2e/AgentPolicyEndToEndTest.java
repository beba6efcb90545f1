package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.policy.AgentPolicy;
import io.ferry.protocol.Action;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The on-prem allowlist decides, whatever the relay asks: an engine's request outside the agent's policy
 * ends in a 403 problem "forbidden by agent policy", and SAP never sees a call.
 */
@ParameterizedClass(name = "jobs by {0}")
@EnumSource(FerryStack.Dispatch.class)
class AgentPolicyEndToEndTest {

  @Parameter FerryStack.Dispatch dispatch;

  @TempDir Path dir;
  private FerryStack stack;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  private Engine start(AgentPolicy policy) throws Exception {
    return start(policy, Duration.ofSeconds(10));
  }

  private Engine start(AgentPolicy policy, Duration syncWindow) throws Exception {
    stack = new FerryStack(dir, FerryStack.Sap.BAPI, syncWindow, UnaryOperator.identity()).withDispatch(dispatch)
        .withAgent(c -> c.withPolicy(policy)).start();
    return new Engine(stack.url(), stack.apiKey());
  }

  @Test
  void aCreateInAForbiddenSalesOrganisationIs403AndSapSawNothing() throws Exception {
    Engine engine = start(AgentPolicy.defaults().withSalesOrganizations("2000"));
    int before = stack.sapCalls();

    Engine.Answer a = engine.post("/v1/customers", CustomerLifecycleTest.customer("P1", "DE", ""));

    assertThat(a.status()).isEqualTo(403);
    assertThat(a.header("Content-Type")).startsWith("application/problem+json");
    assertThat(a.body().get("type").asText()).contains("forbidden-by-agent");
    assertThat(a.body().get("code").asText()).isEqualTo(AgentPolicy.SALES_ORGANIZATION_FORBIDDEN);
    assertThat(a.body().get("detail").asText()).startsWith("forbidden by agent policy: sales organisation 1000");
    assertThat(stack.sapCalls()).isEqualTo(before);
  }

  @Test
  void anActionTheAgentDoesNotRunIs403AndSapSawNothing() throws Exception {
    Engine engine = start(AgentPolicy.defaults().withActions(Action.CUSTOMER_READ, Action.CUSTOMER_SEARCH));
    int before = stack.sapCalls();

    Engine.Answer a = engine.post("/v1/customers", CustomerLifecycleTest.customer("P2", "DE", ""));

    assertThat(a.status()).isEqualTo(403);
    assertThat(a.body().get("code").asText()).isEqualTo(AgentPolicy.ACTION_FORBIDDEN);
    assertThat(a.body().get("detail").asText()).contains("customer.create", "policy.actions");
    assertThat(stack.sapCalls()).isEqualTo(before);
  }

  @Test
  void aForbiddenCompanyCodeIs403() throws Exception {
    Engine engine = start(AgentPolicy.defaults().withCompanyCodes("2000"));
    int before = stack.sapCalls();

    Engine.Answer a = engine.post("/v1/customers", CustomerLifecycleTest.customer("P3", "DE", ",\"companyCode\":\"1000\""));

    assertThat(a.status()).isEqualTo(403);
    assertThat(a.body().get("code").asText()).isEqualTo(AgentPolicy.COMPANY_CODE_FORBIDDEN);
    assertThat(stack.sapCalls()).isEqualTo(before);
  }

  @Test
  void aCustomerOfAnotherSalesOrganisationCannotBeReadOrChanged() throws Exception {
    // The agent restarts below. Through SQS, each receive the stopped agent abandoned may still be handed a job,
    // which then comes back after the visibility timeout (docs/scaling-sqs.md): with its two receive loops, twice.
    Engine engine = start(AgentPolicy.defaults(), FerryStack.SQS_LEASE.multipliedBy(4));
    String number = engine.post("/v1/customers", CustomerLifecycleTest.customer("P4", "DE", "")).body()
        .get("customerNumber").asText();
    stack.stopAgent();
    stack = stack.withAgent(c -> c.withPolicy(AgentPolicy.defaults().withSalesOrganizations("2000")));
    stack.startAgent();
    int changesBefore = io.ferry.sapsim.SapSimulator.instance().callCount("BAPI_CUSTOMER_CHANGEFROMDATA1");

    Engine.Answer read = engine.get("/v1/customers/" + number);
    Engine.Answer change = engine.patch("/v1/customers/" + number, "{\"city\":\"Berlin\"}");

    assertThat(read.status()).isEqualTo(403);
    assertThat(read.body().get("code").asText()).isEqualTo(AgentPolicy.SALES_ORGANIZATION_FORBIDDEN);
    assertThat(change.status()).isEqualTo(403);
    assertThat(io.ferry.sapsim.SapSimulator.instance().callCount("BAPI_CUSTOMER_CHANGEFROMDATA1")).isEqualTo(changesBefore);
  }
}
