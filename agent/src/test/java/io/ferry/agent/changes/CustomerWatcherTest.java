package io.ferry.agent.changes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.customer.CustomerReads;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.change.ChangeEvent;
import io.ferry.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher on a fake SAP: what it stores, that the overlap finds nothing twice, that a new watcher on the same
 * journal goes on from the watermark, that customers outside {@code policy.sales-organizations} are never reported,
 * and that SAP's local times become instants through {@code sap.time-zone}.
 */
class CustomerWatcherTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock();
  private final FakeSap sap = new FakeSap();
  private final AtomicInteger found = new AtomicInteger();
  private final AtomicInteger wakeUps = new AtomicInteger();
  private final List<ChangeJournal> opened = new ArrayList<>();
  private final ChangeSettings settings = ChangeSettings.OFF.withCustomers(true).withSapTimeZone(BERLIN);

  @AfterEach
  void close() {
    opened.forEach(ChangeJournal::close);
  }

  private CustomerWatcher watcher(AgentPolicy policy) throws Exception {
    ChangeJournal journal = new ChangeJournal(dir);
    opened.add(journal);
    SapCalls calls = SapCalls.of(policy.guard());
    return new CustomerWatcher(sap, new CustomerReads(sap, calls), calls, journal, settings, clock,
        found::addAndGet, wakeUps::incrementAndGet);
  }

  private ChangeJournal journal() {
    return opened.get(opened.size() - 1);
  }

  /** SAP's local time {@code secondsAgo} before the clock. */
  private LocalDateTime sapTime(long secondsAgo) {
    return LocalDateTime.ofInstant(clock.instant().minusSeconds(secondsAgo), BERLIN);
  }

  @Test
  void aCreationAndAChangeAreStoredWithTheCustomerAsReadAndSapsTimeZone() throws Exception {
    CustomerWatcher watcher = watcher(AgentPolicy.defaults());
    sap.customer("0000100001", "1000", "C-1");
    sap.change(new FoundChange("0000100001", sapTime(30), true));
    sap.change(new FoundChange("0000100001", sapTime(10), false));

    assertThat(watcher.scan()).isEqualTo(2);

    List<ChangeEvent> events = journal().pending(10);
    assertThat(events).extracting(ChangeEvent::type)
        .containsExactly(ChangeEvent.CUSTOMER_CREATED, ChangeEvent.CUSTOMER_CHANGED);
    assertThat(events.get(0).changedAt()).isEqualTo(clock.instant().minusSeconds(30));
    assertThat(events.get(0).externalId()).isEqualTo("C-1");
    assertThat(events.get(0).customer().customerNumber()).isEqualTo("0000100001");
    assertThat(events.get(1).id()).isEqualTo(ChangeEvent.idOf(ChangeEvent.CUSTOMER_CHANGED, "0000100001",
        clock.instant().minusSeconds(10)));
    assertThat(found).hasValue(2);
    assertThat(wakeUps).hasValue(1);
    assertThat(journal().watermark(CustomerWatcher.OBJECT)).contains(clock.instant());
  }

  @Test
  void theOverlapLooksBackAndWhatItFindsAgainIsNotStoredTwiceEvenAfterItWasSent() throws Exception {
    CustomerWatcher watcher = watcher(AgentPolicy.defaults());
    sap.customer("0000100001", "1000", "C-1");
    sap.change(new FoundChange("0000100001", sapTime(10), false));
    watcher.scan();
    Instant firstScan = clock.instant();
    journal().sent(journal().pending(10).stream().map(ChangeEvent::id).toList(), clock.instant());

    clock.advance(Duration.ofSeconds(60));
    assertThat(watcher.scan()).isZero();

    assertThat(sap.reads).as("a change found again is known by its id: the customer is not read again")
        .containsExactly("0000100001");
    assertThat(sap.asked).last().isEqualTo(LocalDateTime.ofInstant(firstScan.minus(settings.overlap()), BERLIN));
    assertThat(journal().pendingCount()).isZero();
  }

  @Test
  void aNewWatcherOnTheSameJournalGoesOnFromTheWatermark() throws Exception {
    sap.customer("0000100001", "1000", "C-1");
    sap.change(new FoundChange("0000100001", sapTime(10), false));
    watcher(AgentPolicy.defaults()).scan();
    Instant watermark = clock.instant();
    journal().close();
    opened.clear();

    clock.advance(Duration.ofHours(2));
    sap.change(new FoundChange("0000100001", sapTime(5), false));
    assertThat(watcher(AgentPolicy.defaults()).scan()).isEqualTo(1);

    assertThat(sap.asked).last().isEqualTo(LocalDateTime.ofInstant(watermark.minus(settings.overlap()), BERLIN));
    assertThat(journal().pendingCount()).isEqualTo(2);
  }

  @Test
  void aCustomerOutsideTheAllowedSalesOrganisationsIsNeverReported() throws Exception {
    CustomerWatcher watcher = watcher(AgentPolicy.defaults().withSalesOrganizations("2000"));
    sap.customer("0000100001", "1000", "C-1");
    sap.customer("0000100002", "2000", "C-2");
    sap.change(new FoundChange("0000100001", sapTime(10), false));
    sap.change(new FoundChange("0000100002", sapTime(10), false));

    assertThat(watcher.scan()).isEqualTo(1);

    assertThat(journal().pending(10)).extracting(ChangeEvent::customerNumber).containsExactly("0000100002");
  }

  @Test
  void aFailedScanLeavesTheWatermarkWhereItWas() throws Exception {
    CustomerWatcher watcher = watcher(AgentPolicy.defaults());
    watcher.scan();
    Instant before = clock.instant();
    clock.advance(Duration.ofMinutes(1));
    sap.down = true;

    org.junit.jupiter.api.Assertions.assertThrows(SapException.class, watcher::scan);

    assertThat(journal().watermark(CustomerWatcher.OBJECT)).contains(before);
  }

  @Test
  void aCustomerDeletedSinceItsChangeIsLeftOut() throws Exception {
    CustomerWatcher watcher = watcher(AgentPolicy.defaults());
    sap.change(new FoundChange("0000100009", sapTime(10), false));

    assertThat(watcher.scan()).isZero();
    assertThat(journal().watermark(CustomerWatcher.OBJECT)).contains(clock.instant());
  }

  /** Customers by number with their sales organisation, and the changes the port reports. */
  private static final class FakeSap implements CustomerPort, CustomerChangePort {
    final Map<String, Customer> customers = new HashMap<>();
    final List<FoundChange> changes = new ArrayList<>();
    final List<LocalDateTime> asked = new ArrayList<>();
    final List<String> reads = new ArrayList<>();
    boolean down;

    void customer(String number, String salesOrganization, String externalId) {
      customers.put(number, Customer.builder().customerNumber(number).externalId(externalId).name("Muster")
          .salesArea(new SalesArea(salesOrganization, "10", "00")).build());
    }

    void change(FoundChange change) {
      changes.add(change);
    }

    @Override
    public List<FoundChange> since(LocalDateTime from) throws SapException {
      if (down) {
        throw new SapException(SapException.Kind.UNAVAILABLE, io.ferry.agent.sap.SapErrorCodes.UNAVAILABLE, "SAP is down", List.of());
      }
      asked.add(from);
      return changes.stream().filter(c -> !c.changedAt().isBefore(from)).toList();
    }

    @Override
    public Customer create(Customer customer) {
      throw new AssertionError("not expected");
    }

    @Override
    public Customer read(String customerNumber) throws SapException {
      reads.add(customerNumber);
      Customer c = customers.get(customerNumber);
      if (c == null) {
        throw new SapException(SapException.Kind.NOT_FOUND, io.ferry.agent.sap.SapErrorCodes.NOT_FOUND, "no customer", List.of());
      }
      return c;
    }

    @Override
    public Customer update(String customerNumber, CustomerPatch patch) {
      throw new AssertionError("not expected");
    }
  }
}
