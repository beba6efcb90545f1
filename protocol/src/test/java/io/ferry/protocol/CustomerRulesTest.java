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

  // ------------------------------------------------------------- text (issue 13, items 5 and 15)

  @Test
  void controlCharactersInAnyTextFieldAreRefusedNamingTheField() throws Exception {
    for (String bad : List.of("Mu\u0000ster", "Muster\tGmbH", "Muster\r\nGmbH", "\u001b[31mMuster", "Muster\u007f",
        "Muster\u0085GmbH", "Muster\u2028GmbH", "Muster\uFFFE")) {
      ObjectNode c = validCustomer().put("name", bad).put("city", bad);
      List<FieldError> errors = CustomerRules.checkCreate(c);
      assertThat(fields(errors)).as(bad).containsExactly("city", "name");
      assertThat(errors.get(0).message()).contains("U+").doesNotContain(bad);
    }
    assertThat(fields(CustomerRules.checkPatch(json.readTree("{\"street\":\"Haupt\\u0000strasse\"}"))))
        .containsExactly("street");
    assertThat(fields(CustomerRules.checkExternalId("CRM\u00004711"))).containsExactly("externalId");
  }

  @Test
  void anUnpairedSurrogateIsRefusedAndAPairIsText() throws Exception {
    // Jackson reads the JSON escape \ud800 as the lone char; the rules must see and refuse it.
    ObjectNode c = (ObjectNode) json.readTree(validCustomer().toString().replace("Muster GmbH", "Muster\\ud800"));
    assertThat(c.get("name").asText()).contains("\ud800");
    List<FieldError> errors = CustomerRules.checkCreate(c);
    assertThat(fields(errors)).containsExactly("name");
    assertThat(errors.get(0).message()).contains("unpaired surrogate U+D800");
    assertThat(fields(CustomerRules.checkCreate(validCustomer().put("city", "\udc00Walldorf")))).containsExactly("city");
    assertThat(fields(CustomerRules.checkCreate(validCustomer().put("city", "Walldorf\ud83d")))).containsExactly("city");
    assertThat(CustomerRules.checkCreate(validCustomer().put("name", "Muster \ud83d\ude80 GmbH"))).isEmpty();
  }

  @Test
  void aValueOfInvisibleCharactersIsBlank() throws Exception {
    for (String blank : List.of("\u00a0", "\u200b\u200b", "\u2007\u202f", "\u3000", "\ufeff", "\u200d\u2060", "\u3164",
        "\u034f", "\ufe0f", " \u00a0 ")) {
      List<FieldError> errors = CustomerRules.checkCreate(validCustomer().put("name", blank));
      assertThat(fields(errors)).as(blank).containsExactly("name");
      assertThat(errors.get(0).message()).startsWith("must not be blank");
    }
    assertThat(fields(CustomerRules.checkPatch(json.readTree("{\"city\":\"\\u00a0\"}")))).containsExactly("city");
    assertThat(fields(CustomerRules.checkExternalId("\u200b"))).containsExactly("externalId");
    // Joiners inside visible text are text (Persian uses the zero-width non-joiner in words).
    assertThat(CustomerRules.checkCreate(validCustomer().put("name", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")))
        .isEmpty();
  }

  @Test
  void lengthsAreThoseOfTheNfcFormWhichIsWhatACustomerHolds() throws Exception {
    String decomposed = "Mu\u0308ller"; // u + combining diaeresis: 7 chars, 6 in NFC
    String name = decomposed.repeat(5) + "u\u0308".repeat(5); // 35 chars in NFC, 45 as sent
    assertThat(name).hasSize(45);
    assertThat(CustomerRules.checkCreate(validCustomer().put("name", name))).isEmpty();
    Customer customer = json.treeToValue(validCustomer().put("name", name).put("city", "Wu\u0308rzburg"), Customer.class);
    assertThat(customer.name()).isEqualTo("M\u00fcller".repeat(5) + "\u00fc".repeat(5)).hasSize(35);
    assertThat(customer.city()).isEqualTo("W\u00fcrzburg");
    assertThat(CustomerPatch.fromMergePatch((ObjectNode) json.readTree("{\"name\":\"Mu\\u0308ller\"}")).values().name())
        .isEqualTo("M\u00fcller");
    List<FieldError> tooLong = CustomerRules.checkCreate(validCustomer().put("name", name + "\u00fc"));
    assertThat(fields(tooLong)).containsExactly("name");
    assertThat(tooLong.get(0).message()).contains("at most 35").contains("was 36");
  }

  @Test
  void kosovoIsACountryAsInSapAndTheMessageSaysWhereTheListComesFrom() throws Exception {
    assertThat(CustomerRules.checkCreate(validCustomer().put("country", "XK"))).isEmpty();
    assertThat(CustomerRules.checkPatch(json.readTree("{\"country\":\"XK\"}"))).isEmpty();
    for (String other : List.of("DE", "US", "RS", "ME", "SS", "BQ")) {
      assertThat(CustomerRules.checkCreate(validCustomer().put("country", other))).as(other).isEmpty();
    }
    for (String notSap : List.of("XI", "XX", "EU", "UK", "de")) {
      List<FieldError> errors = CustomerRules.checkCreate(validCustomer().put("country", notSap));
      assertThat(fields(errors)).as(notSap).containsExactly("country");
      assertThat(errors.get(0).message()).contains("ISO 3166-1").contains("Java runtime").contains("XK (Kosovo")
          .contains("'" + notSap + "'");
    }
  }
}
