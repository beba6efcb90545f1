package io.ferry.agent.sap.odata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.agent.sap.setup.SapSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ODataSettingsTest {

  private static final Map<String, String> SECTION = Map.of(
      "backend", "odata",
      "odata.service-url", "https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER/",
      "odata.client", "100",
      "odata.user", "FERRY_ODATA");

  private static Map<String, String> with(String... keysAndValues) {
    Map<String, String> m = new HashMap<>(SECTION);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] == null) {
        m.remove(keysAndValues[i]);
      } else {
        m.put(keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return m;
  }

  @Test
  void readsTheSectionWithDefaultsAndThePasswordFromTheEnvironment() {
    ODataSettings s = ODataSettings.fromSection(with("odata.password", "from-file"),
        name -> name.equals("FERRY_SAP_PASSWORD") ? "s3cret-Pw!" : null);

    assertThat(s.serviceUrl()).hasToString("https://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER");
    assertThat(s.client()).isEqualTo("100");
    assertThat(s.password()).isEqualTo("s3cret-Pw!");
    assertThat(s.externalIdProperty()).isEqualTo("SearchTerm1");
    assertThat(s.updateMethod()).isEqualTo(ODataSettings.UpdateMethod.MERGE);
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.grouping()).isNull();

    ODataSettings fromFile = ODataSettings.fromSection(with("odata.password", "from-file", "odata.grouping", "BP02",
        "odata.external-id-property", "BusinessPartnerIDByExtSystem", "odata.update-method", "patch",
        "odata.connect-timeout", "500ms", "odata.read-timeout", "PT2M"), name -> null);
    assertThat(fromFile.password()).isEqualTo("from-file");
    assertThat(fromFile.grouping()).isEqualTo("BP02");
    assertThat(fromFile.externalIdProperty()).isEqualTo("BusinessPartnerIDByExtSystem");
    assertThat(fromFile.updateMethod()).isEqualTo(ODataSettings.UpdateMethod.PATCH);
    assertThat(fromFile.connectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(fromFile.readTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void toStringMasksBothPasswords(@TempDir Path dir) throws Exception {
    Path p12 = Files.writeString(dir.resolve("client.p12"), "not read here");
    ODataSettings s = ODataSettings.fromSection(with("odata.client-certificate", p12.toString()),
        name -> switch (name) {
          case "FERRY_SAP_PASSWORD" -> "s3cret-Pw!";
          case "FERRY_SAP_CERT_PASSWORD" -> "c3rt-Pw?";
          default -> null;
        });

    assertThat(s.clientCertificatePassword()).isEqualTo("c3rt-Pw?");
    assertThat(s.toString())
        .doesNotContain("s3cret-Pw!").doesNotContain("c3rt-Pw?")
        .contains("password=****").contains("clientCertificatePassword=****")
        .contains("https://s4.example.local").contains("FERRY_ODATA");

    SapSettings sap = SapSettings.fromSection(with("odata.password", "s3cret-Pw!"), name -> null);
    assertThat(sap.backend()).isEqualTo("odata");
    assertThat(sap.odata().user()).isEqualTo("FERRY_ODATA");
    assertThat(sap.toString()).doesNotContain("s3cret-Pw!").contains("backend=odata").contains("password=****");
  }

  @Test
  void aMissingPasswordNamesBothWaysToGiveIt() {
    assertThatThrownBy(() -> ODataSettings.fromSection(SECTION, name -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FERRY_SAP_PASSWORD")
        .hasMessageContaining("sap.odata.password");
  }

  @Test
  void badValuesAreNamedWithTheirSettingAndTheFix() {
    assertThatThrownBy(() -> ODataSettings.fromSection(with("odata.service-url", "ftp://s4/x", "odata.client", "10",
        "odata.grouping", "TOO-LONG", "odata.update-method", "PUT", "odata.read-timeout", "soon",
        "odata.external-id-property", "Search Term"), name -> "pw"))
        .hasMessageContaining("sap.odata.service-url must be an http or https URL")
        .hasMessageContaining("sap.odata.client must be the three-digit SAP client")
        .hasMessageContaining("sap.odata.grouping")
        .hasMessageContaining("sap.odata.update-method must be MERGE or PATCH, was 'PUT'")
        .hasMessageContaining("sap.odata.read-timeout must be a duration")
        .hasMessageContaining("sap.odata.external-id-property");

    assertThatThrownBy(() -> ODataSettings.fromSection(with("odata.service-url", null), name -> "pw"))
        .hasMessageContaining("sap.odata.service-url is required");
    assertThatThrownBy(() -> ODataSettings.fromSection(with("odata.user", null), name -> null))
        .hasMessageContaining("no way to log on to SAP");
    assertThatThrownBy(() -> ODataSettings.fromSection(with("odata.connect-timeout", "5m"), name -> "pw"))
        .hasMessageContaining("sap.odata.connect-timeout must be between 100ms and 2m, was 5m");
  }

  @Test
  void timeoutsTakeEveryDurationTheOtherSettingsTakeAndAreShownAsWritten() {
    // One parser for every duration setting: 1d is a duration here as everywhere (and too long for a timeout).
    assertThatThrownBy(() -> ODataSettings.fromSection(with("odata.read-timeout", "1d"), name -> "pw"))
        .hasMessageContaining("sap.odata.read-timeout must be between 100ms and 10m, was 1d")
        .hasMessageNotContaining("must be a duration");
    ODataSettings s = ODataSettings.fromSection(with("odata.connect-timeout", "2m", "odata.read-timeout", "90s"),
        name -> "pw");
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.toString()).contains("connectTimeout=2m", "readTimeout=90s").doesNotContain("PT");
  }

  @Test
  void aClientCertificateNeedsAReadableFileItsPasswordAndHttps() {
    assertThatThrownBy(() -> ODataSettings.fromSection(with("odata.user", null,
        "odata.service-url", "http://s4.example.local/sap/opu/odata/sap/API_BUSINESS_PARTNER",
        "odata.client-certificate", "/nonexistent/client.p12"), name -> null))
        .hasMessageContaining("sap.odata.client-certificate names no readable file")
        .hasMessageContaining("FERRY_SAP_CERT_PASSWORD")
        .hasMessageContaining("needs an https sap.odata.service-url");
  }

  @Test
  void theEnvironmentPasswordAloneDoesNotBreakACertificateLogon(@TempDir Path dir) throws Exception {
    Path p12 = Files.writeString(dir.resolve("client.p12"), "x");
    ODataSettings s = ODataSettings.fromSection(with("odata.user", null, "odata.client-certificate", p12.toString(),
        "odata.client-certificate-password", "pw"), name -> name.equals("FERRY_SAP_PASSWORD") ? "for-bapi" : null);
    assertThat(s.user()).isNull();
    assertThat(s.password()).isNull();
  }

  @Test
  void theBapiSettingsAreNotCheckedForTheODataBackend() {
    assertThatThrownBy(() -> new SapSettings("odata", "SAP", Map.of(), Map.of(), null))
        .hasMessageContaining("sap.backend=odata needs the sap.odata.* settings")
        .hasMessageNotContaining("jco.client");
  }
}
