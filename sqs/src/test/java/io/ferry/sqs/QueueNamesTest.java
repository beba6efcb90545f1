package io.ferry.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueueNamesTest {

  private static final String TENANT = "01M7ZAPZKD9D5TA6PSM77H0MJS";

  @Test
  void namesHoldPrefixTenantAndGroupAndEndAsSqsWants() {
    QueueNames fifo = QueueNames.of("ferry", TENANT, "default", true);
    assertThat(fifo.jobs()).isEqualTo("ferry-" + TENANT + "-default-jobs.fifo");
    assertThat(fifo.dead()).isEqualTo("ferry-" + TENANT + "-default-dead.fifo");
    assertThat(fifo.results()).as("results need no order").isEqualTo("ferry-" + TENANT + "-default-results");

    QueueNames standard = QueueNames.of("ferry", TENANT, "default", false);
    assertThat(standard.jobs()).isEqualTo("ferry-" + TENANT + "-default-jobs");
    assertThat(standard.dead()).isEqualTo("ferry-" + TENANT + "-default-dead");
  }

  @Test
  void aGroupSqsCannotNameIsHashedAndEveryNameStaysWithin80Characters() {
    String longest = "a".repeat(20);
    QueueNames dotted = QueueNames.of(longest, TENANT, "sap.prod.eu-central.plant-4711", true);
    assertThat(dotted.jobs()).matches("[A-Za-z0-9_-]+\\.fifo").hasSizeLessThanOrEqualTo(80);
    assertThat(dotted.results()).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(80);
    assertThat(QueueNames.of(longest, TENANT, "sap.prod", true).jobs())
        .as("two groups that read alike get different queues")
        .isNotEqualTo(QueueNames.of(longest, TENANT, "sap_prod", true).jobs());
  }

  @Test
  void theTenantAndKindAreReadBackFromAName() {
    QueueNames n = QueueNames.of("ferry", TENANT, "default", true);
    assertThat(QueueNames.tenantOf("ferry", n.dead())).contains(TENANT);
    assertThat(QueueNames.kindOf(n.jobs())).contains(QueueNames.Kind.JOBS);
    assertThat(QueueNames.kindOf(n.dead())).contains(QueueNames.Kind.DEAD);
    assertThat(QueueNames.kindOf(n.results())).contains(QueueNames.Kind.RESULTS);
    assertThat(QueueNames.kindOf("someone-elses-queue")).isEmpty();
    assertThat(QueueNames.tenantOf("ferry", QueueNames.of("ferry", "tenant with spaces", "g", true).dead()))
        .as("a hashed tenant cannot be read back").isEmpty();
  }
}
