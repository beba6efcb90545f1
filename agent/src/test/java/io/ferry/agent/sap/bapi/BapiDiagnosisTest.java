package io.ferry.agent.sap.bapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.agent.sap.SapDiagnosis;
import io.ferry.agent.sap.SapDiagnosis.Check;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapException.Kind;
import io.ferry.sapsim.SapSimulator;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BapiDiagnosisTest {

  private final SapSimulator sim = SapSimulator.instance();

  @BeforeAll
  static void destinations() {
    SimDestinations.install();
  }

  @BeforeEach
  void resetSap() {
    sim.reset();
  }

  private static SapDiagnosis diagnose(String destination) {
    SapDiagnosis d = new BapiBackend(destination, Map.of("1000/10/00", "1000")).diagnose();
    assertThat(d.toString()).doesNotContain(SimDestinations.PASSWORD);
    assertThat(d.backend()).isEqualTo("bapi");
    return d;
  }

  private static Check check(SapDiagnosis d, String name) {
    return d.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aHealthySystemPassesEveryCheckAndChangesNothing() {
    SapDiagnosis d = diagnose(SimDestinations.SIM);

    assertThat(d.ok()).isTrue();
    assertThat(d.target()).isEqualTo("ashost " + SimDestinations.HOST + " sysnr 00 client 100 (SID FRY, release 758)");
    assertThat(d.checks()).extracting(Check::name).containsExactly("destination", "network", "logon", "system",
        "function BAPI_CUSTOMER_CREATEFROMDATA1", "function BAPI_CUSTOMER_CHANGEFROMDATA1",
        "function BAPI_CUSTOMER_GETDETAIL2", "function BAPI_CUSTOMER_GETDETAIL1",
        "function BAPI_CUSTOMER_GETSALESAREAS", "function BAPI_CUSTOMER_FIND", "function BAPI_CUSTOMER_GETLIST",
        "function BAPI_TRANSACTION_COMMIT", "function BAPI_TRANSACTION_ROLLBACK");
    assertThat(sim.callCount(BapiBackend.CREATE)).isZero();
    assertThat(sim.callCount(BapiBackend.CHANGE)).isZero();
    assertThat(sim.callCount(BapiBackend.COMMIT)).isZero();
    assertThat(sim.customerExists("0000100001")).isFalse();
  }

  @Test
  void theDefaultActionsWithTheGenericOnesCheckNoSalesOrderFunction() {
    SapDiagnosis d = new BapiBackend(SimDestinations.SIM, Map.of("1000/10/00", "1000"))
        .diagnose(io.ferry.agent.policy.AgentPolicy.DEFAULT_ACTIONS);
    SapDiagnosis orders = new BapiBackend(SimDestinations.SIM, Map.of("1000/10/00", "1000"))
        .diagnose(java.util.Set.of(io.ferry.protocol.Action.SALES_ORDER_READ));

    assertThat(d.checks()).extracting(Check::name).doesNotContain("function BAPI_SALESORDER_CREATEFROMDAT2");
    assertThat(orders.checks()).extracting(Check::name).contains("function BAPI_SALESORDER_CREATEFROMDAT2");
  }

  @Test
  void anUnreachableHostFailsTheNetworkCheckWithTheGatewayPort() {
    SapDiagnosis d = diagnose(SimDestinations.UNREACHABLE);

    assertThat(d.ok()).isFalse();
    assertThat(d.checks()).extracting(Check::name).containsExactly("destination", "network");
    Check network = check(d, "network");
    assertThat(network.problem()).startsWith("host unreachable: ").contains("(102)");
    assertThat(network.advice()).isEqualTo("check jco.client.ashost / sysnr / saprouter and firewall port 3300 "
        + "from this machine to the SAP application server");
    assertThat(d.target()).isEqualTo("ashost " + SimDestinations.HOST + " sysnr 00 client 100");
  }

  @Test
  void aRefusedLogonPassesTheNetworkAndFailsTheLogon() {
    SapDiagnosis d = diagnose(SimDestinations.WRONG_PASSWORD);

    assertThat(check(d, "network").ok()).isTrue();
    Check logon = check(d, "logon");
    assertThat(logon.ok()).isFalse();
    assertThat(logon.problem()).startsWith("logon refused: ").contains("(103)");
    assertThat(logon.advice()).contains("user, password, client").contains("locked user");
    assertThat(d.checks()).extracting(Check::name).containsExactly("destination", "network", "logon");
  }

  @Test
  void aMissingAuthorizationFailsThatFunctionOnlyAndNamesS_RFC() {
    SapDiagnosis d = diagnose(SimDestinations.NO_FIND_AUTHORIZATION);

    Check find = check(d, "function BAPI_CUSTOMER_FIND");
    assertThat(find.ok()).isFalse();
    assertThat(find.problem()).contains("no RFC authorization for BAPI_CUSTOMER_FIND");
    assertThat(find.advice()).contains("S_RFC").contains("BAPI_CUSTOMER_FIND").contains("function group");
    assertThat(d.checks()).filteredOn(c -> !c.ok()).containsExactly(find);
  }

  @Test
  void aFunctionTheSystemLacksIsNamed() {
    SapDiagnosis d = diagnose(SimDestinations.WITHOUT_FIND);

    Check find = check(d, "function BAPI_CUSTOMER_FIND");
    assertThat(find.ok()).isFalse();
    assertThat(find.problem()).isEqualTo("function BAPI_CUSTOMER_FIND not found");
    assertThat(find.advice()).startsWith("is this an ECC/S/4 system with the customer BAPIs?");
    assertThat(d.checks()).filteredOn(c -> !c.ok()).containsExactly(find);
  }

  @Test
  void invalidOrUnknownDestinationsFailTheFirstCheck() {
    SapDiagnosis invalid = diagnose(SimDestinations.INVALID);
    assertThat(invalid.checks()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("destination");
      assertThat(c.ok()).isFalse();
      assertThat(c.problem()).contains("(180)").contains("jco.client.client");
    });
    assertThat(invalid.target()).isEqualTo("destination " + SimDestinations.INVALID);

    SapDiagnosis unknown = diagnose("NO_SUCH_DESTINATION");
    assertThat(unknown.checks()).singleElement().satisfies(c -> {
      assertThat(c.ok()).isFalse();
      assertThat(c.advice()).contains("sap.destination");
    });
  }

  @Test
  void aMissingAuthorizationDuringAnOperationIsConfiguration() {
    BapiBackend backend = new BapiBackend(SimDestinations.NO_FIND_AUTHORIZATION, Map.of("1000/10/00", "1000"));

    SapException e = catchThrowableOfType(SapException.class, () -> backend.findByExternalId("CRM-1"));

    assertThat(e.kind()).isEqualTo(Kind.CONFIGURATION);
    assertThat(e.getMessage()).contains("S_RFC").doesNotContain(SimDestinations.PASSWORD);
  }
}
