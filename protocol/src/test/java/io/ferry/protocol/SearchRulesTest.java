package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Problem.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchRulesTest {

  private static List<String> fields(List<FieldError> errors) {
    return errors.stream().map(FieldError::field).toList();
  }

  @Test
  void nothingGivenListsEveryCustomerFiftyAtATime() {
    assertThat(SearchRules.check(null, null, null)).isEmpty();
    assertThat(SearchRules.query(null, null, null)).isEqualTo(new SearchQuery(null, 50, null));
    assertThat(SearchRules.query("   ", null, null).text()).isNull();
  }

  @Test
  void theTextIsTakenWithoutItsSurroundingSpaces() {
    assertThat(SearchRules.check(" Muster ", "10", "0000100001")).isEmpty();
    assertThat(SearchRules.query(" Muster ", "10", "0000100001")).isEqualTo(new SearchQuery("Muster", 10, "0000100001"));
  }

  @Test
  void aTextOfOneCharacterOrLongerThanANameIsRefused() {
    assertThat(fields(SearchRules.check("M", null, null))).containsExactly("search");
    assertThat(SearchRules.check("M", null, null).get(0).message()).contains("at least 2");
    assertThat(SearchRules.check("x".repeat(35), null, null)).isEmpty();
    assertThat(SearchRules.check("x".repeat(36), null, null).get(0).message()).contains("at most 35");
    assertThat(fields(SearchRules.check("Mu\u0000ster", null, null))).containsExactly("search");
  }

  @Test
  void topIsAWholeNumberFromOneTo200() {
    assertThat(SearchRules.check(null, "1", null)).isEmpty();
    assertThat(SearchRules.check(null, "200", null)).isEmpty();
    for (String bad : new String[] {"0", "201", "-1", "ten", "", "1.5", "99999999999"}) {
      List<FieldError> errors = SearchRules.check(null, bad, null);
      assertThat(fields(errors)).as(bad).containsExactly("top");
      assertThat(errors.get(0).message()).contains("1 to 200");
    }
  }

  @Test
  void aCursorIsUrlSafeAndShort() {
    assertThat(SearchRules.check(null, null, "0000100051")).isEmpty();
    assertThat(fields(SearchRules.check(null, null, "a b"))).containsExactly("cursor");
    assertThat(fields(SearchRules.check(null, null, "x".repeat(65)))).containsExactly("cursor");
    assertThat(fields(SearchRules.check(null, null, ""))).containsExactly("cursor");
  }

  @Test
  void everyProblemIsNamedAtOnce() {
    assertThat(fields(SearchRules.check("M", "0", "?"))).containsExactly("search", "top", "cursor");
  }

  @Test
  void theSearchTextFollowsTheRulesOfTheCustomersText() {
    assertThat(fields(SearchRules.check("Mu\tster", null, null))).containsExactly("search");
    assertThat(fields(SearchRules.check("Muster\n", null, null))).containsExactly("search");
    assertThat(SearchRules.check("Mu\ud800ster", null, null).get(0).message()).contains("unpaired surrogate U+D800");
    // Invisible characters around the text do not count, inside they are text; blank lists every customer.
    assertThat(SearchRules.query("\u00a0\u200bMuster\u3000", null, null).text()).isEqualTo("Muster");
    assertThat(fields(SearchRules.check("\u00a0M\u200b", null, null))).containsExactly("search");
    assertThat(SearchRules.check("\u00a0\u200b", null, null)).isEmpty();
    assertThat(SearchRules.query("\u00a0\u200b", null, null).text()).isNull();
    // Lengths in NFC, and the NFC form is what the agent searches for.
    assertThat(SearchRules.check("Mu\u0308".repeat(12), null, null)).isEmpty(); // 36 as sent, 24 in NFC
    assertThat(SearchRules.query("Mu\u0308ller", null, null).text()).isEqualTo("M\u00fcller");
  }
}
