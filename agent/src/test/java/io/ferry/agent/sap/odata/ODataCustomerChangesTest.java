package io.ferry.agent.sap.odata;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.changes.CustomerChangePort;
import io.ferry.agent.changes.FoundChange;
import io.ferry.agent.sap.SimulatedSap;
import io.ferry.protocol.Customer;
import io.ferry.protocol.SalesArea;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A_BusinessPartner's change stamps on the OData peer, read page by page. */
class ODataCustomerChangesTest {

  private static Customer customer(int i) {
    return Customer.builder().externalId("P-" + i).name("Muster " + i).street("Hauptstrasse").houseNumber("5")
        .postalCode("69190").city("Walldorf").country("DE").language("de").currency("EUR")
        .salesArea(new SalesArea("1000", "10", "00")).build();
  }

  @Test
  void pagesOfTwoPartnersFindWhatOnePageFinds() throws Exception {
    try (SimulatedSap sap = SimulatedSap.start(SimulatedSap.Kind.ODATA)) {
      io.ferry.testing.ManualClock clock = new io.ferry.testing.ManualClock();
      sap.peer().useClock(clock);
      LocalDateTime from = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
      List<String> numbers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        numbers.add(sap.customers().create(customer(i)).customerNumber());
      }
      clock.advance(java.time.Duration.ofSeconds(5)); // a change in the creation's second would be the creation
      sap.peer().changePartnerDirectly(Long.toString(Long.parseLong(numbers.get(1))),
          Map.of("OrganizationBPName1", "Changed"));
      ODataBackend backend = (ODataBackend) sap.backend();

      List<FoundChange> paged = backend.changes(2).since(from);
      List<FoundChange> whole = backend.port(CustomerChangePort.class).orElseThrow().since(from);

      assertThat(Set.copyOf(paged)).isEqualTo(Set.copyOf(whole));
      assertThat(numbers(paged, true)).containsExactlyElementsOf(new TreeSet<>(numbers));
      assertThat(numbers(paged, false)).containsExactly(numbers.get(1));
    }
  }

  private static TreeSet<String> numbers(List<FoundChange> changes, boolean created) {
    return changes.stream().filter(c -> c.created() == created).map(FoundChange::customerNumber)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
