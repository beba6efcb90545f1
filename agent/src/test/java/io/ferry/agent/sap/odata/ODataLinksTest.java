package io.ferry.agent.sap.odata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Links below the service root, so that SAP's host never leaves the agent. */
class ODataLinksTest {

  private final ODataLinks links = new ODataLinks(URI.create("https://s4.example.local:44300/sap/opu/odata/sap/API_BUSINESS_PARTNER"));

  @Test
  void linksIntoTheServiceBecomeRelativeAndTheAgentsOwnParametersAreDropped() {
    String root = "https://s4.example.local:44300/sap/opu/odata/sap/API_BUSINESS_PARTNER";
    assertThat(links.below(root + "/A_BusinessPartner('1')")).isEqualTo("A_BusinessPartner('1')");
    assertThat(links.below(root + "/A_BusinessPartner?sap-client=100&$filter=X%20eq%201&$format=json&$skiptoken=50"))
        .isEqualTo("A_BusinessPartner?$filter=X%20eq%201&$skiptoken=50");
    assertThat(links.below("HTTPS://S4.EXAMPLE.LOCAL:44300/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_X"))
        .as("scheme and host in any case").isEqualTo("A_X");
    assertThat(links.below("https://s4.example.local:44300/sap/opu/odata/sap/OTHER_SRV/A_Y('2')"))
        .as("elsewhere on SAP: the path, never the host").isEqualTo("/sap/opu/odata/sap/OTHER_SRV/A_Y('2')");
    assertThat(links.below("A_BusinessPartner('1')")).isEqualTo("A_BusinessPartner('1')");
  }

  @Test
  void metadataDeferredAndNextAreRewrittenButBusinessDataKeepsItsUrls() throws Exception {
    JsonNode d = ODataErrors.JSON.readTree("""
        {"results":[{"__metadata":{"id":"https://gw.internal/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner('1')",
          "uri":"https://gw.internal/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner('1')","etag":"W/\\"x\\""},
          "WebsiteURL":"https://www.acme.example/about","id":"https://www.acme.example/x",
          "Note":"see https://s4.example.local:44300/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_X",
          "to_Customer":{"__deferred":{"uri":"https://s4.example.local:44300/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner('1')/to_Customer"}}}],
         "__next":"https://gw.internal/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner?$skiptoken=2"}
        """);

    links.rewrite(d);

    JsonNode row = d.at("/results/0");
    assertThat(row.at("/__metadata/uri").asText()).isEqualTo("A_BusinessPartner('1')");
    assertThat(row.at("/__metadata/id").asText()).as("another host name of the same Gateway").isEqualTo("A_BusinessPartner('1')");
    assertThat(row.at("/__metadata/etag").asText()).isEqualTo("W/\"x\"");
    assertThat(row.at("/to_Customer/__deferred/uri").asText()).isEqualTo("A_BusinessPartner('1')/to_Customer");
    assertThat(row.get("WebsiteURL").asText()).isEqualTo("https://www.acme.example/about");
    assertThat(row.get("id").asText()).isEqualTo("https://www.acme.example/x");
    assertThat(row.get("Note").asText()).isEqualTo("see A_X");
    assertThat(d.get("__next").asText()).isEqualTo("A_BusinessPartner?$skiptoken=2");
    assertThat(d.toString()).doesNotContain("gw.internal");
  }

  @Test
  void theEdmxKeepsNoTraceOfTheHost() {
    ODataSettings settings = ODataSettings.basic(URI.create("https://s4.example.local:44300/sap/opu/odata/sap/API_X"),
        "100", "U", "P");
    String edmx = "<atom:link rel=\"self\" href=\"https://s4.example.local:44300/sap/opu/odata/sap/API_X/$metadata\"/>"
        + "<edmx:Reference Uri=\"https://s4.example.local:44300/sap/opu/odata/iwfnd/catalogservice;v=2/V\"/>";
    ODataResources resources = new ODataResources(new ODataServices(java.util.Map.of("API_X", settings.serviceUrl()),
        settings), io.ferry.agent.sap.CallPolicy.PERMIT_ALL);
    try (resources) {
      String shown = ODataResources.relativeLinks(resources.service("API_X"), edmx);
      assertThat(shown).contains("href=\"$metadata\"", "Uri=\"/sap/opu/odata/iwfnd/catalogservice;v=2/V\"")
          .doesNotContain("s4.example.local");
    }
  }
}
