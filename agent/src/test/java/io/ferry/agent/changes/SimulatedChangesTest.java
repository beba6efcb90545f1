package io.ferry.agent.changes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.customer.CustomerReads;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SimulatedSap;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.change.ChangeEvent;
import io.ferry.sapsim.SapSimulator;
import io.ferry.testing.ManualClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The watcher against both simulated SAPs, each on a test clock: the BAPI backend reading CDHDR and KNA1 through
 * RFC_READ_TABLE from the JCo simulator, the OData backend filtering A_BusinessPartner's change dates on the peer.
 */
class SimulatedChangesTest {

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock();
  private final List<AutoCloseable> open = new ArrayList<>();
  private Clock simulatorClock;
  private SimulatedSap sap;

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (simulatorClock != null) {
      SapSimulator.useClock(simulatorClock);
    }
  }

  private void start(SimulatedSap.Kind kind) {
    sap = SimulatedSap.start(kind);
    open.add(sap);
    if (kind == SimulatedSap.Kind.BAPI) {
      simulatorClock = SapSimulator.useClock(clock);
    } else {
      sap.peer().useClock(clock);
    }
  }

  private ChangeJournal journal() throws Exception {
    ChangeJournal journal = new ChangeJournal(dir);
    open.add(journal);
    return journal;
  }

  private CustomerWatcher watcher(ChangeJournal journal, AgentPolicy policy) {
    SapCalls calls = SapCalls.of(policy.guard());
    CustomerChangePort port = sap.backend().port(CustomerChangePort.class).orElseThrow();
    return new CustomerWatcher(port, new CustomerReads(sap.customers(), calls), calls, journal,
        ChangeSettings.OFF.withCustomers(true), clock, n -> { }, () -> { });
  }

  private static Customer customer(String externalId) {
    return Customer.builder().externalId(externalId).name("Muster GmbH").street("Hauptstrasse").houseNumber("5")
        .postalCode("69190").city("Walldorf").country("DE").language("de").currency("EUR")
        .salesArea(new SalesArea("1000", "10", "00")).build();
  }

  private void changeDirectly(SimulatedSap.Kind kind, String customerNumber) {
    if (kind == SimulatedSap.Kind.BAPI) {
      assertThat(SapSimulator.instance().changeCustomerDirectly(customerNumber, Map.of("NAME1", "Changed by a clerk")))
          .isPresent();
    } else {
      sap.peer().changePartnerDirectly(Long.toString(Long.parseLong(customerNumber)),
          Map.of("OrganizationBPName1", "Changed by a clerk"));
    }
  }

  private static List<String> types(List<ChangeEvent> events) {
    return events.stream().map(e -> e.type() + " " + e.customerNumber()).toList();
  }

  @ParameterizedTest
  @EnumSource(SimulatedSap.Kind.class)
  void createdAndChangedCustomersAreReportedOnceEach(SimulatedSap.Kind kind) throws Exception {
    start(kind);
    ChangeJournal journal = journal();
    CustomerWatcher watcher = watcher(journal, AgentPolicy.defaults());
    watcher.scan(); // the watermark: from here on

    clock.advance(Duration.ofSeconds(10));
    CustomerPort customers = sap.customers();
    String number = customers.create(customer("C-1")).customerNumber();
    clock.advance(Duration.ofSeconds(10));
    assertThat(watcher.scan()).isEqualTo(1);
    List<ChangeEvent> created = journal.pending(10);
    assertThat(types(created)).containsExactly("customer.created " + number);
    assertThat(created.get(0).externalId()).isEqualTo("C-1");
    assertThat(created.get(0).changedAt()).isEqualTo(clock.instant().minusSeconds(10));
    journal.sent(created.stream().map(ChangeEvent::id).toList(), clock.instant());

    clock.advance(Duration.ofSeconds(10));
    customers.update(number, CustomerPatch.fromMergePatch(JsonNodeFactory.instance.objectNode().put("city", "Berlin")));
    clock.advance(Duration.ofSeconds(10));
    assertThat(watcher.scan()).isEqualTo(1);
    assertThat(journal.pending(10).get(0).customer().city()).isEqualTo("Berlin");

    // OData keeps a partner's last change only: changes between two scans are one event there (docs/changes.md).
    clock.advance(Duration.ofSeconds(10));
    changeDirectly(kind, number);
    clock.advance(Duration.ofSeconds(10));
    assertThat(watcher.scan()).isEqualTo(1);
    List<ChangeEvent> changed = journal.pending(10);
    assertThat(types(changed)).containsExactly("customer.changed " + number, "customer.changed " + number);
    assertThat(changed.get(1).customer().name()).isEqualTo("Changed by a clerk");

    // The overlap finds all three again: nothing new, whether sent already or not.
    clock.advance(Duration.ofSeconds(60));
    assertThat(watcher.scan()).isZero();
    assertThat(journal.pendingCount()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(SimulatedSap.Kind.class)
  void aNewWatcherOnTheSameJournalResumesFromTheWatermark(SimulatedSap.Kind kind) throws Exception {
    start(kind);
    ChangeJournal first = journal();
    watcher(first, AgentPolicy.defaults()).scan();
    first.close();

    clock.advance(Duration.ofSeconds(30));
    String number = sap.customers().create(customer("C-2")).customerNumber();
    clock.advance(Duration.ofSeconds(30));

    ChangeJournal second = journal();
    assertThat(watcher(second, AgentPolicy.defaults()).scan()).isEqualTo(1);
    assertThat(types(second.pending(10))).containsExactly("customer.created " + number);
  }

  @ParameterizedTest
  @EnumSource(SimulatedSap.Kind.class)
  void aCustomerOutsideThePolicysSalesOrganisationsIsNotReported(SimulatedSap.Kind kind) throws Exception {
    start(kind);
    ChangeJournal journal = journal();
    CustomerWatcher watcher = watcher(journal, AgentPolicy.defaults().withSalesOrganizations("2000"));
    watcher.scan();

    clock.advance(Duration.ofSeconds(10));
    String number = sap.customers().create(customer("C-3")).customerNumber();
    clock.advance(Duration.ofSeconds(10));
    changeDirectly(kind, number);
    clock.advance(Duration.ofSeconds(10));

    assertThat(watcher.scan()).isZero();
    assertThat(journal.pendingCount()).isZero();
  }
}
