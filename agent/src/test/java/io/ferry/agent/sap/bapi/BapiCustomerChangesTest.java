package io.ferry.agent.sap.bapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.changes.FoundChange;
import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SimulatedSap;
import io.ferry.protocol.Customer;
import io.ferry.protocol.SalesArea;
import io.ferry.sapsim.SapSimulator;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** RFC_READ_TABLE on the simulator's CDHDR and KNA1, read page by page. */
class BapiCustomerChangesTest {

  private static Customer customer(int i) {
    return Customer.builder().externalId("P-" + i).name("Muster " + i).street("Hauptstrasse").houseNumber("5")
        .postalCode("69190").city("Walldorf").country("DE").language("de").currency("EUR")
        .salesArea(new SalesArea("1000", "10", "00")).build();
  }

  @Test
  void pagesOfTwoRowsFindWhatOnePageFinds() throws Exception {
    try (SimulatedSap sap = SimulatedSap.start(SimulatedSap.Kind.BAPI)) {
      LocalDateTime from = LocalDateTime.now(ZoneOffset.UTC).minusMinutes(1);
      List<String> numbers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        numbers.add(sap.customers().create(customer(i)).customerNumber());
      }
      SapSimulator.instance().changeCustomerDirectly(numbers.get(0), Map.of("NAME1", "Changed"));
      SapSimulator.instance().changeCustomerDirectly(numbers.get(1), Map.of("NAME1", "Changed"));

      List<FoundChange> paged = new BapiCustomerChanges("FERRY_SIMULATED", CallPolicy.PERMIT_ALL, 2).since(from);
      List<FoundChange> whole = new BapiCustomerChanges("FERRY_SIMULATED", CallPolicy.PERMIT_ALL).since(from);

      assertThat(Set.copyOf(paged)).isEqualTo(Set.copyOf(whole));
      assertThat(created(paged, true)).containsExactlyElementsOf(new TreeSet<>(numbers));
      assertThat(created(paged, false)).containsExactly(numbers.get(0), numbers.get(1));
    }
  }

  @Test
  void nothingChangedSinceIsNothingFound() throws Exception {
    try (SimulatedSap sap = SimulatedSap.start(SimulatedSap.Kind.BAPI)) {
      sap.customers().create(customer(9));

      assertThat(new BapiCustomerChanges("FERRY_SIMULATED", CallPolicy.PERMIT_ALL)
          .since(LocalDateTime.now(ZoneOffset.UTC).plusDays(2))).isEmpty();
    }
  }

  private static TreeSet<String> created(List<FoundChange> changes, boolean created) {
    return changes.stream().filter(c -> c.created() == created).map(FoundChange::customerNumber)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
