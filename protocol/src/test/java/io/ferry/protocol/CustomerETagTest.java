package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerETagTest {

  private final Customer customer = Customer.builder().customerNumber("0000100001").name("Muster GmbH")
      .city("Walldorf").country("DE").build();

  @Test
  void isStrongQuotedAndIgnoresSapMessages() {
    String tag = CustomerETag.of(customer);
    assertThat(tag).matches("\"[0-9a-f]{32}\"");
    assertThat(CustomerETag.of(customer.withSapMessages(List.of(new SapMessage("S", "F2", "056", "changed")))))
        .isEqualTo(tag);
    assertThat(CustomerETag.of(customer.toBuilder().city("Berlin").build())).isNotEqualTo(tag);
  }

  @Test
  void ifMatchComparesStronglyAndStarMatchesAnyCustomer() {
    String tag = CustomerETag.of(customer);
    assertThat(CustomerETag.matches(tag, customer)).isTrue();
    assertThat(CustomerETag.matches("\"other\", " + tag, customer)).isTrue();
    assertThat(CustomerETag.matches("*", customer)).isTrue();
    assertThat(CustomerETag.matches("W/" + tag, customer)).isFalse();
    assertThat(CustomerETag.matches("\"stale\"", customer)).isFalse();
  }

  @Test
  void ifMatchSyntax() {
    assertThat(CustomerETag.isValidIfMatch("*")).isTrue();
    assertThat(CustomerETag.isValidIfMatch("\"a\", W/\"b\"")).isTrue();
    assertThat(CustomerETag.isValidIfMatch("abc")).isFalse();
    assertThat(CustomerETag.isValidIfMatch("\"a b\"")).isFalse();
    assertThat(CustomerETag.isValidIfMatch("")).isFalse();
  }
}
