package io.ferry.agent.sap.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SapSettingsTest {

  private static final Map<String, String> SECTION = Map.of(
      "backend", "bapi",
      "destination", "ERP",
      "jco.jco.client.ashost", "erp.example.local",
      "jco.jco.client.sysnr", "00",
      "jco.jco.client.client", "100",
      "jco.jco.client.user", "FERRY_RFC",
      "reference-customer.1000/10/00", "1000");

  @Test
  void thePasswordComesFromTheEnvironmentAndIsNeverShown() {
    SapSettings s = SapSettings.fromSection(SECTION, name -> name.equals("FERRY_SAP_PASSWORD") ? "s3cret-Pw!" : null);
    assertThat(s.jco()).containsEntry("jco.client.passwd", "s3cret-Pw!");
    assertThat(s.referenceCustomers()).containsEntry("1000/10/00", "1000");
    assertThat(s.toString()).doesNotContain("s3cret-Pw!").contains("jco.client.passwd=****").contains("erp.example.local");
  }

  @Test
  void aMissingPasswordNamesBothWaysToGiveIt() {
    assertThatThrownBy(() -> SapSettings.fromSection(SECTION, name -> null))
        .hasMessageContaining("FERRY_SAP_PASSWORD")
        .hasMessageContaining("sap.jco.jco.client.passwd");
  }

  @Test
  void badValuesAreNamedWithTheirSetting() {
    Map<String, String> bad = new java.util.HashMap<>(SECTION);
    bad.put("backend", "rfc");
    bad.put("reference-customer.1000-10-00", "1000");
    bad.remove("jco.jco.client.ashost");
    assertThatThrownBy(() -> SapSettings.fromSection(bad, name -> "pw"))
        .hasMessageContaining("sap.backend must be one of")
        .hasMessageContaining("sap.reference-customer.1000-10-00")
        .hasMessageContaining("jco.client.ashost");
  }

  @Test
  void theCorrelationFieldDefaultsPerBackendAndCanBeTurnedOff() {
    SapSettings bapi = SapSettings.fromSection(SECTION, name -> "pw");
    assertThat(bapi.correlationField()).isEqualTo("NAME_3");
    assertThat(bapi.correlates()).isTrue();
    assertThat(bapi.toString()).contains("correlationField=NAME_3");
    Map<String, String> off = new java.util.HashMap<>(SECTION);
    off.put("correlation-field", "none");
    assertThat(SapSettings.fromSection(off, name -> "pw").correlates()).isFalse();

    io.ferry.agent.sap.odata.ODataSettings odata = io.ferry.agent.sap.odata.ODataSettings.basic(
        java.net.URI.create("https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER"), "100", "FERRY", "pw");
    assertThat(SapSettings.odata(odata).correlationField()).isEqualTo("SearchTerm2");
    assertThat(SapSettings.odata(odata).withCorrelationField("BusinessPartnerIDByExtSystem").correlationField())
        .isEqualTo("BusinessPartnerIDByExtSystem");
  }

  @Test
  void aCorrelationFieldTheBackendCannotSearchIsRefusedWithTheChoices() {
    Map<String, String> bad = new java.util.HashMap<>(SECTION);
    bad.put("correlation-field", "SORTL");
    assertThatThrownBy(() -> SapSettings.fromSection(bad, name -> "pw"))
        .hasMessageContaining("sap.correlation-field for the bapi backend must be one of [NAME_3] or none, was 'SORTL'");
    io.ferry.agent.sap.odata.ODataSettings odata = io.ferry.agent.sap.odata.ODataSettings.basic(
        java.net.URI.create("https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER"), "100", "FERRY", "pw");
    assertThatThrownBy(() -> SapSettings.odata(odata).withCorrelationField("SearchTerm1"))
        .hasMessageContaining("must not be the property that holds the external id");
  }
}
