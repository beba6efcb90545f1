package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Problem.FieldError;
import java.text.Normalizer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the text rules over arbitrary Unicode (every UTF-16 unit, lone surrogates included): a text
 * field is accepted only when it is one line of visible, well-formed text that fits SAP's length in NFC; a
 * control character anywhere is refused naming the field; a value of invisible characters is blank; and a
 * customer holds its text in NFC.
 */
class TextPropertiesTest {

  private static final ObjectMapper JSON = Protocol.json();
  private static final List<String> TEXT_FIELDS = List.of("name", "name2", "street", "houseNumber", "postalCode",
      "city", "phone", "externalId");

  private static ObjectNode validCustomer() {
    try {
      return (ObjectNode) JSON.readTree("""
          {"externalId":"CRM-1","name":"Muster GmbH","street":"Hauptstrasse","postalCode":"69190",
           "city":"Walldorf","country":"DE","language":"de","currency":"EUR",
           "salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"}}
          """);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Property(tries = 1000)
  void anAcceptedNameIsOneLineOfVisibleWellFormedTextWithinSapsLength(@ForAll("anyText") String name) throws Exception {
    List<FieldError> errors = CustomerRules.checkCreate(validCustomer().put("name", name));

    if (errors.isEmpty()) {
      assertThat(name.codePoints()).noneMatch(cp -> Character.getType(cp) == Character.CONTROL
          || Character.getType(cp) == Character.SURROGATE);
      assertThat(TextRules.isBlank(name)).isFalse();
      Customer customer = JSON.treeToValue(validCustomer().put("name", name), Customer.class);
      assertThat(customer.name()).isEqualTo(Normalizer.normalize(name, Normalizer.Form.NFC));
      assertThat(customer.name().length()).isLessThanOrEqualTo(35);
    } else {
      assertThat(errors).extracting(FieldError::field).containsExactly("name");
    }
  }

  @Property(tries = 500)
  void aControlCharacterAnywhereInAnyTextFieldIsRefusedNamingIt(@ForAll("visibleText") String text,
      @ForAll("controls") char control, @ForAll @IntRange(max = 20) int at, @ForAll("textFields") String field) {
    int position = Math.min(at, text.length());
    String bad = text.substring(0, position) + control + text.substring(position);

    List<FieldError> create = CustomerRules.checkCreate(validCustomer().put(field, bad));
    ObjectNode patch = JSON.createObjectNode().put(field, bad);
    List<FieldError> update = CustomerRules.checkPatch(patch);

    assertThat(create).extracting(FieldError::field).containsExactly(field);
    assertThat(create.get(0).message()).contains(String.format("U+%04X", (int) control));
    assertThat(update).extracting(FieldError::field).containsExactly(field);
  }

  @Property(tries = 300)
  void aValueOfOnlyInvisibleCharactersIsBlank(@ForAll("invisibleText") String blank, @ForAll("textFields") String field) {
    List<FieldError> errors = CustomerRules.checkCreate(validCustomer().put(field, blank));

    assertThat(errors).extracting(FieldError::field).containsExactly(field);
    assertThat(errors.get(0).message()).startsWith("must not be blank");
    assertThat(SearchRules.query(blank, null, null).text()).isNull();
  }

  @Property(tries = 500)
  void aCustomerHoldsItsTextInNfcWhateverFormItCameIn(@ForAll("visibleText") String text) {
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
    Customer customer = Customer.builder().name(decomposed).city(text).build();

    assertThat(customer.name()).isEqualTo(Normalizer.normalize(text, Normalizer.Form.NFC)).isEqualTo(customer.city());
    assertThat(customer.toBuilder().build()).isEqualTo(customer);
  }

  /** Every UTF-16 unit: controls, format characters, lone surrogates, combining marks, noncharacters. */
  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.strings().withChars("aü\u0308 \u00a0\u200b\t\n\u0000\ud800\udc00\ud83d\ude80e\u0301").ofMaxLength(40));
  }

  /** Letters, digits, spaces and combining marks (decomposable accents), never blank. */
  @Provide
  Arbitrary<String> visibleText() {
    return Arbitraries.strings().withCharRange('a', 'z').withChars("ÄÖÜäöüßéèçñ \u0301\u0308").ofMinLength(1)
        .ofMaxLength(12).map(s -> "x" + s);
  }

  @Provide
  Arbitrary<Character> controls() {
    return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u001f'), Arbitraries.chars().range('\u007f', '\u009f'));
  }

  @Provide
  Arbitrary<String> invisibleText() {
    return Arbitraries.strings().withChars(" \u00a0\u2000\u2007\u200a\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
        + "\u200e\u200f\u3164\u115f\u034f\ufe0f\u180e").ofMinLength(1).ofMaxLength(10);
  }

  @Provide
  Arbitrary<String> textFields() {
    return Arbitraries.of(TEXT_FIELDS);
  }
}
