package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.salesorder.SalesOrderRules;
import io.ferry.relay.openapi.OpenApiDocument;
import org.junit.jupiter.api.Test;

/**
 * The sales-order fragment of the OpenAPI document, as assembled: its operations are there, and every field an engine
 * may send has the length {@link SalesOrderRules} enforces, so Power Automate's form refuses what the relay would.
 */
class SalesOrderOpenApiTest {

  private final ObjectNode doc = OpenApiDocument.template();

  @Test
  void theOrderOperationsAreInTheAssembledDocument() {
    assertThat(doc.at("/paths/~1v1~1sales-orders/post/operationId").asText()).isEqualTo("CreateSalesOrder");
    assertThat(doc.at("/paths/~1v1~1sales-orders~1{salesOrder}/get/operationId").asText()).isEqualTo("GetSalesOrder");
    assertThat(doc.path("tags").findValuesAsText("name")).contains("Customers", "Sales Orders");
    assertThat(doc.at("/components/schemas/CallbackEvent/properties/action/enum").toString())
        .contains("salesorder.create");
  }

  @Test
  void everyFieldAnEngineSendsHasTheLengthTheRulesEnforce() {
    JsonNode order = doc.at("/components/schemas/NewSalesOrder/properties");
    JsonNode item = doc.at("/components/schemas/NewSalesOrderItem/properties");
    JsonNode area = doc.at("/components/schemas/SalesArea/properties");
    for (String path : SalesOrderRules.fieldPaths()) {
      if (path.equals("items[].requestedQuantity")) {
        assertThat(item.at("/requestedQuantity/type").asText()).isEqualTo("number");
        continue;
      }
      String name = path.substring(path.lastIndexOf('.') + 1);
      JsonNode schema = path.startsWith("items[].") ? item.get(name)
          : path.startsWith("salesArea.") ? area.get(name) : order.get(name);
      assertThat(schema).as(path).isNotNull();
      assertThat(schema.path("maxLength").asInt()).as(path).isEqualTo(SalesOrderRules.maxLength(path));
    }
    assertThat(order.fieldNames()).toIterable()
        .containsExactlyInAnyOrder("salesOrderType", "salesArea", "soldToParty", "purchaseOrderByCustomer",
            "requestedDeliveryDate", "items");
    assertThat(doc.at("/components/schemas/NewSalesOrder/properties/items/maxItems").asInt())
        .isEqualTo(SalesOrderRules.MAX_ITEMS);
  }
}
