package io.ferry.agent.sap.odata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.agent.sap.setup.SapSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** sap.odata.services.<name>.url: validated at start, with messages that name the setting and the fix. */
class ODataServicesTest {

  private static Map<String, String> bapi(String... more) {
    Map<String, String> m = new HashMap<>(Map.of("backend", "bapi", "destination", "ERP",
        "jco.jco.client.ashost", "erp.example.local", "jco.jco.client.client", "100", "jco.jco.client.user", "FERRY",
        "jco.jco.client.passwd", "Sap-Pw-1"));
    for (int i = 0; i < more.length; i += 2) {
      m.put(more[i], more[i + 1]);
    }
    return m;
  }

  @Test
  void aBapiAgentReadsTheServicesWithTheSapOdataLogonAndNeedsNoServiceUrl() {
    SapSettings s = SapSettings.fromSection(bapi("odata.services.API_BUSINESS_PARTNER.url",
        "https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER/", "odata.user", "FERRY_ODATA",
        "odata.password", "Pw-2", "odata.client", "200"), name -> null);

    ODataServices services = s.odataServices();
    assertThat(services.names()).containsExactly("API_BUSINESS_PARTNER");
    ODataSettings one = services.settings("API_BUSINESS_PARTNER");
    assertThat(one.serviceUrl()).hasToString("https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER");
    assertThat(one.user()).isEqualTo("FERRY_ODATA");
    assertThat(one.client()).isEqualTo("200");
    assertThat(s.odata()).as("the backend stays bapi").isNull();
    assertThat(s.toString()).contains("API_BUSINESS_PARTNER").doesNotContain("Pw-2");
    assertThat(SapSettings.fromSection(bapi(), name -> null).odataServices().isEmpty()).isTrue();
  }

  @Test
  void onABapiAgentTheJcoPasswordVariableIsNotTheOdataUsers() {
    Map<String, String> section = bapi("odata.services.API_X.url", "https://s4.example.local/sap/opu/odata/sap/API_X",
        "odata.user", "FERRY_ODATA");
    assertThatThrownBy(() -> SapSettings.fromSection(section, name -> "FERRY_SAP_PASSWORD".equals(name) ? "Jco-Pw" : null))
        .hasMessageContaining("the SAP password of sap.odata.user is missing: set sap.odata.password (on a bapi agent "
            + "FERRY_SAP_PASSWORD is the JCo user's");
    section.put("odata.password", "Odata-Pw");
    SapSettings s = SapSettings.fromSection(section, name -> "FERRY_SAP_PASSWORD".equals(name) ? "Jco-Pw" : null);
    assertThat(s.odataServices().settings("API_X").password()).isEqualTo("Odata-Pw");
  }

  @Test
  void anOdataAgentsServicesShareItsLogon() {
    SapSettings s = SapSettings.fromSection(Map.of("backend", "odata",
        "odata.service-url", "https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER",
        "odata.user", "FERRY_ODATA", "odata.client", "100",
        "odata.services.API_SALES_ORDER_SRV.url", "https://s4.example.local/sap/opu/odata/sap/API_SALES_ORDER_SRV"),
        name -> "FERRY_SAP_PASSWORD".equals(name) ? "Pw-3" : null);

    ODataSettings orders = s.odataServices().settings("API_SALES_ORDER_SRV");
    assertThat(orders.user()).isEqualTo("FERRY_ODATA");
    assertThat(orders.password()).isEqualTo("Pw-3");
    assertThat(orders.serviceUrl().getPath()).endsWith("/API_SALES_ORDER_SRV");
  }

  @Test
  void mistakesNameTheSettingAndTheFix() {
    assertThatThrownBy(() -> SapSettings.fromSection(bapi("odata.services.API_X.url", "ftp://s4/sap/opu/odata/sap/X",
        "odata.user", "U", "odata.password", "P"), name -> null))
        .hasMessageContaining("sap.odata.services.API_X.url must be an http or https URL");
    assertThatThrownBy(() -> SapSettings.fromSection(bapi("odata.services.API_X.url", "https://s4.example.local",
        "odata.user", "U", "odata.password", "P"), name -> null))
        .hasMessageContaining("sap.odata.services.API_X.url names no service");
    assertThatThrownBy(() -> SapSettings.fromSection(bapi("odata.services.API_X.url", "https://s4 example/x",
        "odata.user", "U", "odata.password", "P"), name -> null))
        .hasMessageContaining("sap.odata.services.API_X.url is not a URL");
    assertThatThrownBy(() -> SapSettings.fromSection(bapi("odata.services.API_X.uri", "https://s4/sap/x"),
        name -> null))
        .hasMessageContaining("unknown setting sap.odata.services.API_X.uri")
        .hasMessageContaining("did you mean sap.odata.services.API_X.url?");
    assertThatThrownBy(() -> SapSettings.fromSection(bapi("odata.services.API_X.url",
        "https://s4.example.local/sap/opu/odata/sap/API_X"), name -> null))
        .hasMessageContaining("sap.odata.services (API_X) log on as sap.odata.* says")
        .hasMessageContaining("no way to log on to SAP: set sap.odata.user");
    // The odata backend still needs its own service URL.
    assertThatThrownBy(() -> SapSettings.fromSection(Map.of("backend", "odata", "odata.user", "U",
        "odata.password", "P", "odata.services.API_X.url", "https://s4.example.local/sap/opu/odata/sap/API_X"),
        name -> null)).hasMessageContaining("sap.odata.service-url is required");
  }

  @Test
  void aServiceThePolicyNamesMustBeConfigured() {
    ODataServices services = SapSettings.fromSection(bapi("odata.services.API_BUSINESS_PARTNER.url",
        "https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER", "odata.user", "U", "odata.password", "P"),
        name -> null).odataServices();

    services.checkNamedServices(Set.of("API_BUSINESS_PARTNER"));
    assertThatThrownBy(() -> services.checkNamedServices(Set.of("API_BUSINESS_PARTNER", "API_SALES_ORDER_SRV")))
        .hasMessageContaining("policy.odata.resources names service API_SALES_ORDER_SRV, but "
            + "sap.odata.services.API_SALES_ORDER_SRV.url is not set");
    assertThatThrownBy(() -> ODataServices.NONE.checkNamedServices(Set.of("API_BUSINESS_PARTNER")))
        .hasMessageContaining("sap.odata.services.API_BUSINESS_PARTNER.url is not set");
  }
}
