package io.ferry.agent.odata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** JSON Schemas from SAP's real EDMX (the OData peer's copies), and a parser that reads no DTD. */
class EntitySchemasTest {

  private static String edmx(String service) throws Exception {
    try (InputStream in = EntitySchemasTest.class.getResourceAsStream("/io/ferry/odatapeer/" + service + ".edmx")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void decimalsDatesAndItemsOfASalesOrder() throws Exception {
    EntitySchemas schemas = EntitySchemas.parse(edmx("API_SALES_ORDER_SRV"));
    JsonNode s = schemas.schema("API_SALES_ORDER_SRV", "A_SalesOrder").orElseThrow();

    JsonNode total = s.at("/properties/TotalNetAmount");
    assertThat(total.get("type").asText()).isEqualTo("string");
    assertThat(total.get("format").asText()).isEqualTo("decimal");
    assertThat(total.get("x-precision").asInt()).isEqualTo(16);
    assertThat(total.get("x-scale").asInt()).isEqualTo(3);
    assertThat(total.get("description").asText()).isEqualTo("Net Value (decimal, precision 16, scale 3)");
    assertThat(total.get("readOnly").asBoolean()).isTrue();
    assertThat(s.at("/properties/RequestedDeliveryDate/format").asText()).isEqualTo("date-time");
    assertThat(s.at("/properties/SalesOrderType/maxLength").asInt()).isEqualTo(4);
    assertThat(s.at("/properties/SalesOrderType/readOnly").isMissingNode()).isTrue();
    JsonNode items = s.at("/properties/to_Item");
    assertThat(items.get("type").asText()).isEqualTo("array");
    assertThat(items.at("/items/properties/ProductionPlant/maxLength").asInt()).isEqualTo(4);
    assertThat(items.at("/items/x-sap-keys")).extracting(JsonNode::asText).containsExactly("SalesOrder", "SalesOrderItem");
    assertThat(schemas.schema("API_SALES_ORDER_SRV", "A_Nothing")).isEmpty();
  }

  @Test
  void guidsIntegersAndToOneNavigationOfTheBusinessPartnerService() throws Exception {
    EntitySchemas schemas = EntitySchemas.parse(edmx("API_BUSINESS_PARTNER"));
    JsonNode bp = schemas.schema("API_BUSINESS_PARTNER", "A_BusinessPartner").orElseThrow();

    assertThat(bp.at("/properties/BusinessPartnerUUID/format").asText()).isEqualTo("uuid");
    JsonNode customer = bp.at("/properties/to_Customer");
    assertThat(customer.get("type").asText()).as("to one: an object").isEqualTo("object");
    assertThat(customer.at("/properties/Customer/maxLength").asInt()).isEqualTo(10);
    assertThat(customer.at("/properties/to_CustomerSalesArea/type").asText()).isEqualTo("array");
    assertThat(schemas.schema("API_BUSINESS_PARTNER", "A_CustomerSalesArea").orElseThrow()
        .at("/properties/to_PartnerFunction/type").asText()).as("the set's own navigation is there").isEqualTo("array");
    assertThat(customer.at("/properties/to_CustomerSalesArea/items/properties/to_PartnerFunction").isMissingNode())
        .as("no deeper than two levels").isTrue();
    JsonNode url = schemas.schema("API_BUSINESS_PARTNER", "A_AddressHomePageURL").orElseThrow();
    assertThat(url.at("/properties/URLFieldLength/type").asText()).isEqualTo("integer");
    assertThat(url.at("/properties/IsDefaultURLAddress/type").asText()).isEqualTo("boolean");
  }

  @Test
  void aDocumentWithADtdOrExternalEntityIsRefusedUnread() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<edmx:Edmx xmlns:edmx=\"http://schemas.microsoft.com/ado/2007/06/edmx\">&x;</edmx:Edmx>";
    assertThatThrownBy(() -> EntitySchemas.parse(xxe)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an EDMX document").hasMessageNotContaining("root:");
    assertThatThrownBy(() -> EntitySchemas.parse("<edmx:Edmx xmlns:edmx=\"x\"/>"))
        .hasMessageContaining("names no entity set");
  }
}
