package io.ferry.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Action;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentPolicyTest {

  private static final URI SERVICE = URI.create("https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER");

  @Test
  void theDefaultsAllowEveryCustomerActionAndWhatTheBackendsNeedInAnySalesOrganisation() {
    AgentPolicy d = AgentPolicy.fromSection(Map.of());

    assertThat(d.actions()).containsExactlyInAnyOrder(Action.CUSTOMER_CREATE, Action.CUSTOMER_READ,
        Action.CUSTOMER_UPDATE, Action.CUSTOMER_UPSERT, Action.CUSTOMER_SEARCH, Action.CATALOG_READ,
        Action.FUNCTION_DESCRIBE, Action.FUNCTION_CALL, Action.ODATA_READ, Action.ODATA_WRITE);
    // The generic actions reach nothing until the administrator names functions or resources.
    assertThat(d.generic().isEmpty()).isTrue();
    assertThat(d.generic().permitsFunction("RFC_READ_TABLE")).isFalse();
    // Sales orders run only once the administrator names them: an upgrade never writes something new unasked.
    assertThat(d.permits(Action.SALES_ORDER_CREATE)).isFalse();
    assertThat(AgentPolicy.fromSection(Map.of("actions", "customer.read,salesorder.create,salesorder.read"))
        .permits(Action.SALES_ORDER_CREATE)).isTrue();
    assertThat(d.bapiFunctions()).contains("BAPI_SALESORDER_CREATEFROMDAT2");
    assertThat(d.bapiFunctions()).contains("BAPI_CUSTOMER_CREATEFROMDATA1", "BAPI_TRANSACTION_COMMIT");
    assertThat(d.odataPaths()).contains("A_BusinessPartner", "A_AddressEmailAddress");
    assertThat(d.permitsSalesOrganization("4711")).isTrue();
    assertThat(d.describe()).contains("policy.sales-organizations=(any)");
  }

  @Test
  void theFileNarrowsIt() {
    AgentPolicy p = AgentPolicy.fromSection(Map.of("actions", "customer.read, customer.search",
        "sales-organizations", "1000,1010", "company-codes", "1000", "bapi.functions", "bapi_customer_getdetail2"));

    assertThat(p.actions()).containsExactlyInAnyOrder(Action.CUSTOMER_READ, Action.CUSTOMER_SEARCH);
    assertThat(p.permits(Action.CUSTOMER_CREATE)).isFalse();
    assertThat(p.permitsSalesOrganization("1010")).isTrue();
    assertThat(p.permitsSalesOrganization("2000")).isFalse();
    assertThat(p.bapiFunctions()).containsExactly("BAPI_CUSTOMER_GETDETAIL2");
    assertThat(p.describe()).contains("policy.actions=customer.read,customer.search");
  }

  @Test
  void genericGrantsNameFunctionsAndResourcesWithTheirMethods() {
    AgentPolicy p = AgentPolicy.fromSection(Map.of("functions", "rfc_read_table, BAPI_COMPANYCODE_GETLIST",
        "functions.repeatable", "RFC_READ_TABLE",
        "odata.resources", "API_BUSINESS_PARTNER/A_BusinessPartner:GET+post,API_SALES_ORDER_SRV/*"));

    GenericGrants g = p.generic();
    assertThat(g.permitsFunction("RFC_READ_TABLE")).isTrue();
    assertThat(g.permitsFunction("BAPI_CUSTOMER_CREATEFROMDATA1")).isFalse();
    assertThat(g.isRepeatable("rfc_read_table")).isTrue();
    assertThat(g.isRepeatable("BAPI_COMPANYCODE_GETLIST")).isFalse();
    assertThat(g.permitsResource("API_BUSINESS_PARTNER", "A_BusinessPartner", "POST")).isTrue();
    assertThat(g.permitsResource("API_BUSINESS_PARTNER", "A_BusinessPartner", "DELETE")).isFalse();
    assertThat(g.permitsResource("API_BUSINESS_PARTNER", "A_Customer", "GET")).isFalse();
    assertThat(g.permitsResource("API_SALES_ORDER_SRV", "A_SalesOrder", "GET")).isTrue();
    assertThat(g.permitsResource("API_SALES_ORDER_SRV", "A_SalesOrder", "POST")).isFalse();
    assertThat(p.describe()).contains("policy.functions=BAPI_COMPANYCODE_GETLIST,RFC_READ_TABLE",
        "policy.odata.resources=API_BUSINESS_PARTNER/A_BusinessPartner:GET+POST,API_SALES_ORDER_SRV/*:GET");

    assertThatThrownBy(() -> AgentPolicy.fromSection(Map.of("functions.repeatable", "RFC_READ_TABLE")))
        .hasMessageContaining("policy.functions.repeatable: 'RFC_READ_TABLE' is not in policy.functions");
    assertThatThrownBy(() -> AgentPolicy.fromSection(Map.of("odata.resources", "A_BusinessPartner")))
        .hasMessageContaining("is not SERVICE/EntitySet[:METHODS]");
    assertThatThrownBy(() -> AgentPolicy.fromSection(Map.of("odata.resources", "S/A_X:GET+FETCH")))
        .hasMessageContaining("names method 'FETCH'");
  }

  @Test
  void mistakesAreNamedWithTheSettingAndTheFix() {
    assertThatThrownBy(() -> AgentPolicy.fromSection(Map.of("actions", "customer.delete")))
        .hasMessageContaining("policy.actions: 'customer.delete' is not an action; the actions are customer.create");
    assertThatThrownBy(() -> AgentPolicy.fromSection(Map.of("actions", "")))
        .hasMessageContaining("policy.actions must name at least one action");
    assertThatThrownBy(() -> AgentPolicy.fromSection(Map.of("action", "customer.read")))
        .hasMessageContaining("policy.action is not a setting");
    assertThatThrownBy(() -> AgentPolicy.fromSection(Map.of("sales-organizations", "10000")))
        .hasMessageContaining("policy.sales-organizations: '10000'");
    assertThatThrownBy(() -> AgentPolicy.fromSection(Map.of("odata.paths", "A_BusinessPartner('1')")))
        .hasMessageContaining("policy.odata.paths");
    assertThatThrownBy(() -> AgentPolicy.fromSection(Map.of("odata.paths", "/sap/../other")))
        .hasMessageContaining("policy.odata.paths");
  }

  @Test
  void pathsMatchSegmentBySegmentWithEntityKeys() throws Exception {
    CallPolicy calls = AgentPolicy.defaults().withODataPaths("A_BusinessPartner", "/sap/opu/odata/sap/OTHER_SRV")
        .calls(SERVICE);
    List<String> root = List.of("sap", "opu", "odata", "sap", "API_BUSINESS_PARTNER");

    calls.checkPath("POST", seg(root, "A_BusinessPartner"));
    calls.checkPath("GET", seg(root, "A_BusinessPartner('0000100001')", "to_Customer"));
    calls.checkPath("GET", seg(root, ""));
    calls.checkPath("GET", seg(root, "$metadata"));
    calls.checkPath("GET", List.of("sap", "opu", "odata", "sap", "OTHER_SRV", "Anything"));
    for (List<String> refused : List.of(seg(root, "A_BusinessPartnerAddress(BusinessPartner='1',AddressID='2')"),
        seg(root, "A_BusinessPartnerX"), List.of("sap", "opu", "odata", "sap", "API_BUSINESS_PARTNER2", "A_BusinessPartner"),
        List.of("sap", "bc", "soap", "rfc"))) {
      assertThatThrownBy(() -> calls.checkPath("GET", refused)).isInstanceOf(SapException.class)
          .extracting(e -> ((SapException) e).code()).isEqualTo(AgentPolicy.PATH_FORBIDDEN);
    }
    assertThatThrownBy(() -> calls.checkPath("POST", seg(root, ""))).isInstanceOf(SapException.class);
  }

  @Test
  void functionNamesAreComparedInUpperCase() throws Exception {
    CallPolicy calls = AgentPolicy.defaults().withBapiFunctions("BAPI_CUSTOMER_GETDETAIL2").calls(null);

    calls.checkFunction("bapi_customer_getdetail2");
    assertThatThrownBy(() -> calls.checkFunction("RFC_READ_TABLE")).isInstanceOf(SapException.class)
        .hasMessage("forbidden by agent policy: function module RFC_READ_TABLE is not in this agent's policy.bapi.functions");
  }

  private static List<String> seg(List<String> root, String... more) {
    List<String> out = new java.util.ArrayList<>(root);
    out.addAll(List.of(more));
    return out;
  }
}
