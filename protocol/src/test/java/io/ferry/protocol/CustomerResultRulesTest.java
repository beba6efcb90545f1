package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Problem.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CustomerRules#checkResult}: what an agent reports must fit the model, without a create's requirements. */
class CustomerResultRulesTest {

  private final ObjectMapper json = Protocol.json();

  private List<String> fields(String customer) throws Exception {
    return CustomerRules.checkResult(json.readTree(customer)).stream().map(FieldError::field).toList();
  }

  @Test
  void aSparseCustomerAsSapMayHoldItFits() throws Exception {
    assertThat(fields("{\"customerNumber\":\"0000100001\",\"name\":\"Muster GmbH\",\"country\":\"XK\"}")).isEmpty();
  }

  @Test
  void fieldsLongerThanSapsAndAWrongCustomerNumberAreNamed() throws Exception {
    String name = "A".repeat(60_000);
    List<FieldError> errors = CustomerRules.checkResult(json.readTree("{\"customerNumber\":\"12345678901\",\"name\":\""
        + name + "\",\"salesArea\":{\"division\":\"001\"},\"city\":7}"));
    assertThat(errors).extracting(FieldError::field)
        .containsExactly("city", "customerNumber", "name", "salesArea.division");
    assertThat(errors.get(2).message()).contains("at most 35").contains("60000").doesNotContain(name);
  }

  @Test
  void lengthsCountCharactersNotUtf16Units() throws Exception {
    assertThat(fields("{\"name\":\"" + "\uD83D\uDE00".repeat(35) + "\"}")).isEmpty();
    assertThat(fields("{\"name\":\"" + "\uD83D\uDE00".repeat(36) + "\"}")).containsExactly("name");
  }

  @Test
  void somethingThatIsNoObjectIsRefused() throws Exception {
    assertThat(fields("[1]")).containsExactly("");
  }
}
