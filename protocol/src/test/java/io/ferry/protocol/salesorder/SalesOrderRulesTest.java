package io.ferry.protocol.salesorder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.Protocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class SalesOrderRulesTest {

  private static final String VALID = """
      {"salesOrderType":"OR","salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"},
       "soldToParty":"100001","purchaseOrderByCustomer":"PO-1","requestedDeliveryDate":"2027-01-31",
       "items":[{"material":"FERRY-100","requestedQuantity":2.5,"unit":"PC","plant":"1000"}]}
      """;

  private static JsonNode json(String text) throws Exception {
    return Protocol.json().readTree(text);
  }

  private static List<String> fields(List<FieldError> errors) {
    return errors.stream().map(FieldError::field).toList();
  }

  @Test
  void aCompleteOrderIsValid() throws Exception {
    assertThat(SalesOrderRules.checkCreate(json(VALID))).isEmpty();
  }

  @Test
  void everyMissingRequiredFieldIsNamedAndTheReferenceSaysWhyItIsNeeded() throws Exception {
    List<FieldError> errors = SalesOrderRules.checkCreate(json("{\"items\":[{}]}"));

    assertThat(fields(errors)).containsExactly("items[0].material", "items[0].requestedQuantity", "items[0].unit",
        "purchaseOrderByCustomer", "salesArea", "salesOrderType", "soldToParty");
    assertThat(errors).filteredOn(e -> e.field().equals("purchaseOrderByCustomer")).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("redelivered create"));
  }

  @Test
  void whatSapAssignsAndUnknownFieldsAreRefused() throws Exception {
    String sent = VALID.replace("\"salesOrderType\":\"OR\",", "\"salesOrderType\":\"OR\",\"salesOrder\":\"1\",\"colour\":\"red\",")
        .replace("\"unit\":\"PC\",", "\"unit\":\"PC\",\"netAmount\":5,");

    assertThat(fields(SalesOrderRules.checkCreate(json(sent))))
        .containsExactly("colour", "items[0].netAmount", "salesOrder");
  }

  @Test
  void quantitiesDatesAndLengthsFollowSapsFields() throws Exception {
    String sent = VALID.replace("2.5", "1.2345").replace("2027-01-31", "31.01.2027").replace("PO-1", "P".repeat(36))
        .replace("\"PC\"", "\"PIECE\"");

    List<FieldError> errors = SalesOrderRules.checkCreate(json(sent));

    assertThat(fields(errors)).containsExactly("items[0].requestedQuantity", "items[0].unit",
        "purchaseOrderByCustomer", "requestedDeliveryDate");
    assertThat(fields(SalesOrderRules.checkCreate(json(VALID.replace("2.5", "0"))))).containsExactly(
        "items[0].requestedQuantity");
    assertThat(fields(SalesOrderRules.checkCreate(json(VALID.replace("2.5", "\"2\""))))).containsExactly(
        "items[0].requestedQuantity");
    // A huge exponent is refused by its size, quickly, and named as sent.
    assertThat(SalesOrderRules.checkCreate(json(VALID.replace("2.5", "1e999999999")))).singleElement()
        .satisfies(e -> assertThat(e.message()).contains("at most 9999999999.999").endsWith("was 1E+999999999"));
    // Quantities keep their scale: what the engine wrote is what the agent gets (and signs) byte for byte.
    assertThat(Protocol.json().writeValueAsString(json(VALID.replace("2.5", "2.50")))).contains("\"requestedQuantity\":2.50");
  }

  @Test
  void anAgentsResultNeedsTheOrderNumberAndItemNumbers() throws Exception {
    assertThat(fields(SalesOrderRules.checkResult(json(VALID)))).containsExactly("items[0].item", "salesOrder");
    String made = VALID.replace("{\"salesOrderType\"", "{\"salesOrder\":\"0005000000\",\"salesOrderType\"")
        .replace("{\"material\"", "{\"item\":\"10\",\"material\"");
    assertThat(SalesOrderRules.checkResult(json(made))).isEmpty();
  }
}
