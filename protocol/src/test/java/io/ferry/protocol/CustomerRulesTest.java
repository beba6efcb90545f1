package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Problem.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerRulesTest {

  private final ObjectMapper json = Protocol.json();

  private ObjectNode validCustomer() throws Exception {
    return (ObjectNode) json.readTree("""
        {"externalId":"CRM-1","name":"Muster GmbH","street":"Hauptstrasse","postalCode":"69190",
         "city":"Walldorf","country":"DE","language":"de","currency":"EUR",
         "salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"}}
        """);
  }

  private static List<String> fields(List<FieldError> errors) {
    return errors.stream().map(FieldError::field).toList();
  }

  @Test
  void aCompleteCustomerIsValid() throws Exception {
    assertThat(CustomerRules.checkCreate(validCustomer())).isEmpty();
  }

  @Test
  void anUnknownCountryIsNamed() throws Exception {
    ObjectNode c = validCustomer().put("country", "XX");
    List<FieldError> errors = CustomerRules.checkCreate(c);
    assertThat(fields(errors)).containsExactly("country");
    assertThat(errors.get(0).message()).contains("ISO 3166-1").contains("XX");
  }

  @Test
  void missingRequiredFieldsAreEachNamed() throws Exception {
    ObjectNode c = validCustomer();
    c.remove("city");
    c.remove("currency");
    ((ObjectNode) c.get("salesArea")).remove("division");
    assertThat(fields(CustomerRules.checkCreate(c))).containsExactlyInAnyOrder("city", "currency", "salesArea.division");
  }

  @Test
  void sapLengthsAreEnforced() throws Exception {
    ObjectNode c = validCustomer().put("name", "x".repeat(36)).put("postalCode", "12345678901");
    List<FieldError> errors = CustomerRules.checkCreate(c);
    assertThat(fields(errors)).containsExactly("name", "postalCode");
    assertThat(errors.get(0).message()).contains("at most 35");
  }

  @Test
  void wrongTypesUnknownFieldsAndAssignedFieldsAreRefused() throws Exception {
    ObjectNode c = validCustomer().put("nmae", "typo").put("customerNumber", "1");
    c.put("phone", 12345);
    assertThat(fields(CustomerRules.checkCreate(c))).containsExactly("customerNumber", "nmae", "phone");
  }

  @Test
  void aPatchMayClearOptionalFieldsButNotRequiredOnes() throws Exception {
    ObjectNode p = (ObjectNode) json.readTree("{\"phone\":null,\"city\":null,\"companyCode\":\"2000\"}");
    assertThat(fields(CustomerRules.checkPatch(p))).containsExactly("city", "companyCode");
    assertThat(CustomerRules.checkPatch(json.readTree("{\"phone\":null,\"city\":\"Berlin\"}"))).isEmpty();
    assertThat(CustomerRules.checkPatch(json.readTree("{}"))).isNotEmpty();
  }

  @Test
  void aPatchAppliesLikeRfc7396() throws Exception {
    Customer current = Customer.builder().customerNumber("0000100001").name("A").city("Walldorf").phone("123").build();
    CustomerPatch patch = CustomerPatch.fromMergePatch((ObjectNode) json.readTree("{\"city\":\"Berlin\",\"phone\":null}"));
    Customer changed = patch.applyTo(current);
    assertThat(changed.city()).isEqualTo("Berlin");
    assertThat(changed.phone()).isNull();
    assertThat(changed.name()).isEqualTo("A");
    assertThat(patch.names("phone")).isTrue();
    assertThat(patch.names("name")).isFalse();
  }

  @Test
  void customerNumbersAreShortAlphanumerics() {
    assertThat(CustomerRules.isCustomerNumber("100001")).isTrue();
    assertThat(CustomerRules.isCustomerNumber("0000100001")).isTrue();
    assertThat(CustomerRules.isCustomerNumber("00001000011")).isFalse();
    assertThat(CustomerRules.isCustomerNumber("../etc")).isFalse();
  }

  @Test
  void anExternalIdOnItsOwnFollowsTheBodysRule() {
    assertThat(CustomerRules.checkExternalId("CRM-4711")).isEmpty();
    assertThat(CustomerRules.checkExternalId("x".repeat(20))).isEmpty();
    List<FieldError> tooLong = CustomerRules.checkExternalId("x".repeat(21));
    assertThat(fields(tooLong)).containsExactly("externalId");
    assertThat(tooLong.get(0).message()).contains("at most 20");
    assertThat(fields(CustomerRules.checkExternalId(" "))).containsExactly("externalId");
    assertThat(fields(CustomerRules.checkExternalId(null))).containsExactly("externalId");
  }

  @Test
  void fieldPathsAreWhatCheckCreateReportsAndEachIsAccepted() throws Exception {
    assertThat(CustomerRules.fieldPaths()).contains("name", "externalId", "referenceCustomer",
        "salesArea.salesOrganization", "salesArea.distributionChannel", "salesArea.division")
        .doesNotContain("customerNumber", "sapMessages", "salesArea");
    List<String> required = fields(CustomerRules.checkCreate(json.createObjectNode()));
    assertThat(CustomerRules.fieldPaths()).containsAll(required.stream().filter(f -> !f.equals("salesArea")).toList());
  }
}
