package io.ferry.agent.sap.bapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.SalesArea;
import io.ferry.sapsim.SapSimulator;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** policy.bapi.functions is asked at the call site: a function module not on it never reaches SAP. */
class BapiPolicyTest {

  private final SapSimulator sim = SapSimulator.instance();

  @BeforeAll
  static void destinations() {
    SimDestinations.install();
  }

  @BeforeEach
  void resetSap() {
    sim.reset();
  }

  private static BapiBackend backend(AgentPolicy policy) {
    return new BapiBackend(new BapiSettings(SimDestinations.SIM, Map.of("1000/10/00", "1000")), policy.calls(null));
  }

  private static Customer customer() {
    return Customer.builder().externalId("CRM-9").name("Policy GmbH").street("Hauptstrasse").houseNumber("1")
        .postalCode("10115").city("Berlin").country("DE").language("de").currency("EUR")
        .salesArea(new SalesArea("1000", "10", "00")).build();
  }

  @Test
  void aFunctionModuleNotOnTheListIsRefusedBeforeSapSeesAnything() {
    AgentPolicy readOnly = AgentPolicy.defaults().withBapiFunctions("BAPI_CUSTOMER_GETDETAIL2", "BAPI_CUSTOMER_GETDETAIL1",
        "BAPI_CUSTOMER_GETSALESAREAS");
    int before = sim.totalCalls();

    SapException e = catchThrowableOfType(SapException.class, () -> backend(readOnly).create(customer()));

    assertThat(e.kind()).isEqualTo(SapException.Kind.FORBIDDEN);
    assertThat(e.code()).isEqualTo(AgentPolicy.FUNCTION_FORBIDDEN);
    assertThat(e.getMessage()).startsWith("forbidden by agent policy").contains("BAPI_CUSTOMER_CREATEFROMDATA1",
        "policy.bapi.functions");
    assertThat(sim.totalCalls()).isEqualTo(before);
    assertThat(sim.callCount("BAPI_CUSTOMER_CREATEFROMDATA1")).isZero();
  }

  @Test
  void theDefaultListCoversEveryFunctionTheBackendCalls() throws Exception {
    BapiBackend backend = backend(AgentPolicy.defaults());
    Customer created = backend.create(customer());
    backend.read(created.customerNumber());
    backend.findByExternalId("CRM-9");

    assertThat(AgentPolicy.defaults().bapiFunctions()).containsAll(BapiBackend.FUNCTIONS).containsAll(BapiDiagnosis.FUNCTIONS);
  }
}
