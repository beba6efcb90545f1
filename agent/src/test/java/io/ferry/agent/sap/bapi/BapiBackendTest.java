package io.ferry.agent.sap.bapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sap.conn.jco.JCoContext;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoDestinationManager;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapException.Kind;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SapMessage;
import io.ferry.sapsim.SapSimulator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BapiBackendTest {

  private static final SalesArea AREA = new SalesArea("1000", "10", "00");

  private final SapSimulator sim = SapSimulator.instance();
  private final BapiBackend backend = new BapiBackend(SimDestinations.SIM, Map.of("1000/10/00", "1000"));

  @BeforeAll
  static void destinations() {
    SimDestinations.install();
  }

  @BeforeEach
  void resetSap() {
    sim.reset();
  }

  private static Customer acme() {
    return Customer.builder()
        .externalId("CRM-0001")
        .name("Acme GmbH")
        .name2("Sales office")
        .street("Hauptstrasse")
        .houseNumber("1")
        .postalCode("10115")
        .city("Berlin")
        .country("DE")
        .language("de")
        .currency("EUR")
        .email("info@acme.example")
        .phone("+49 30 123456")
        .salesArea(AREA)
        .companyCode("1000")
        .build();
  }

  @Test
  void createAnswersATenDigitNumberAndTheCustomerAsSapHoldsIt() throws Exception {
    Customer created = backend.create(acme());

    assertThat(created.customerNumber()).isEqualTo("0000100001");
    assertThat(created).usingRecursiveComparison()
        .ignoringFields("customerNumber", "sapMessages", "referenceCustomer", "companyCode")
        .isEqualTo(acme());
    assertThat(created.companyCode()).isNull();
    assertThat(created.sapMessages()).extracting(SapMessage::type).containsOnly("S");
    assertThat(sim.customer(created.customerNumber()).orElseThrow())
        .containsEntry("NAME4", "CRM-0001")
        .containsEntry("LANGUAGE", "D")
        .containsEntry("KNB1[1000].AKONT", "0000140000");

    Customer read = backend.read("100001");
    assertThat(read).usingRecursiveComparison().ignoringFields("sapMessages", "companyCode")
        .isEqualTo(created);
  }

  /** The relay computes ETags from the customer without sapMessages: create and read must agree on the rest. */
  @Test
  void createAnswersExactlyWhatALaterReadAnswersApartFromSapMessages() throws Exception {
    Customer created = backend.create(acme());

    Customer read = backend.read(created.customerNumber());

    assertThat(created.withSapMessages(List.of())).isEqualTo(read.withSapMessages(List.of()));
  }

  @Test
  void aCompanyCodeTheNewCustomerIsNotInIsReportedAsAWarning() throws Exception {
    Customer created = backend.create(acme().toBuilder().companyCode("2000").build());

    assertThat(created.companyCode()).isNull();
    assertThat(created.sapMessages()).contains(new SapMessage("W", "F2", "503",
        "Debtor 0000100001 exists but has not been created in company code 2000"));
    assertThat(created.withSapMessages(List.of()))
        .isEqualTo(backend.read(created.customerNumber()).withSapMessages(List.of()));
  }

  @Test
  void createAndCommitRunInOneSession() throws Exception {
    backend.create(acme());

    assertThat(sim.callCount(BapiBackend.CREATE)).isEqualTo(1);
    assertThat(sim.callCount(BapiBackend.COMMIT)).isEqualTo(1);
    assertThat(sim.callCount(BapiBackend.ROLLBACK)).isZero();
  }

  @Test
  void unknownReferenceCustomerIsABusinessRefusalWithSapsMessages() {
    Customer withRef = acme().toBuilder().referenceCustomer("9999").build();

    SapException e = catchThrowableOfType(SapException.class, () -> backend.create(withRef));

    assertThat(e.kind()).isEqualTo(Kind.BUSINESS);
    assertThat(e.code()).isEqualTo("FERRY-SAP-0001");
    assertThat(e.sapMessages()).containsExactly(
        new SapMessage("E", "F2", "502", "Debtor 0000009999 does not exist"));
    assertThat(sim.callCount(BapiBackend.ROLLBACK)).isEqualTo(1);
    assertThat(sim.callCount(BapiBackend.COMMIT)).isZero();
  }

  @Test
  void missingDefaultReferenceCustomerIsConfigurationAndSapIsNeverCalled() {
    Customer elsewhere = acme().toBuilder().salesArea(new SalesArea("2000", "10", "00")).build();

    SapException e = catchThrowableOfType(SapException.class, () -> backend.create(elsewhere));

    assertThat(e.kind()).isEqualTo(Kind.CONFIGURATION);
    assertThat(e.code()).isEqualTo("FERRY-SAP-0008");
    assertThat(e.missingSetting()).contains("sap.reference-customer.2000/10/00");
    assertThat(e.getMessage()).contains("sap.reference-customer.2000/10/00");
    assertThat(sim.callCount(BapiBackend.CREATE)).isZero();
    assertThat(sim.callCount(BapiBackend.GETDETAIL2)).isZero();
  }

  @Test
  void languageWithoutAnSapKeyIsRefusedBeforeSapIsCalled() {
    SapException e = catchThrowableOfType(SapException.class,
        () -> backend.create(acme().toBuilder().language("sw").build()));

    assertThat(e.kind()).isEqualTo(Kind.BUSINESS);
    assertThat(e.getMessage()).contains("language").contains("'sw'");
    assertThat(sim.callCount(BapiBackend.CREATE)).isZero();
  }

  @Test
  void sapsFieldChecksComeBackAsBusinessWithTheMessage() {
    SapException e = catchThrowableOfType(SapException.class,
        () -> backend.create(acme().toBuilder().name("N".repeat(36)).build()));

    assertThat(e.kind()).isEqualTo(Kind.BUSINESS);
    assertThat(e.sapMessages()).singleElement().satisfies(m -> {
      assertThat(m.id()).isEqualTo("ZFERRY_SIM");
      assertThat(m.number()).isEqualTo("011");
      assertThat(m.message()).contains("PI_COMPANYDATA-NAME");
    });
  }

  @Test
  void failedCommitIsABusinessRefusalAndNothingIsStored() {
    sim.failNextCommit();

    SapException e = catchThrowableOfType(SapException.class, () -> backend.create(acme()));

    assertThat(e.kind()).isEqualTo(Kind.BUSINESS);
    assertThat(e.sapMessages()).extracting(SapMessage::id, SapMessage::number).containsExactly(
        org.assertj.core.groups.Tuple.tuple("S&", "101"));
    assertThat(sim.customerExists("0000100001")).isFalse();
  }

  @Test
  void updateChangesExactlyTheNamedFields() throws Exception {
    Customer before = backend.create(acme());
    CustomerPatch patch = new CustomerPatch(
        Customer.builder().city("Hamburg").currency("USD").name("Not named, must not change").build(),
        Set.of("city", "currency", "name2"));

    Customer updated = backend.update(before.customerNumber(), patch);

    assertThat(updated.city()).isEqualTo("Hamburg");
    assertThat(updated.currency()).isEqualTo("USD");
    assertThat(updated.name2()).isNull();
    assertThat(updated.name()).isEqualTo("Acme GmbH");
    assertThat(updated).usingRecursiveComparison().ignoringFields("sapMessages")
        .isEqualTo(patch.applyTo(before));
    assertThat(updated.sapMessages()).extracting(SapMessage::type).containsOnly("S");
    assertThat(backend.read(before.customerNumber())).usingRecursiveComparison().ignoringFields("sapMessages")
        .isEqualTo(updated);
  }

  @Test
  void aCustomerAnotherSapSessionIsChangingIsRefusedWithSapsLockMessage() throws Exception {
    String number = backend.create(acme()).customerNumber();
    JCoDestination d = JCoDestinationManager.getDestination(SimDestinations.SIM);
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<?> holder = other.submit(() -> {
        JCoContext.begin(d);
        try {
          JCoFunction change = d.getRepository().getFunction(BapiBackend.CHANGE);
          change.getImportParameterList().setValue("CUSTOMERNO", number);
          change.getImportParameterList().setValue("PI_SALESORG", "1000");
          change.getImportParameterList().getStructure("PI_COMPANYDATA").setValue("CITY", "Potsdam");
          change.getImportParameterList().getStructure("PI_COMPANYDATAX").setValue("CITY", "X");
          change.execute(d);
          locked.countDown();
          assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
          JCoContext.end(d);
        }
        return null;
      });
      assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
      CustomerPatch patch = new CustomerPatch(Customer.builder().city("Hamburg").build(), Set.of("city"));

      SapException e = catchThrowableOfType(SapException.class, () -> backend.update(number, patch));

      assertThat(e.kind()).isEqualTo(Kind.BUSINESS);
      assertThat(e.sapMessages()).extracting(SapMessage::id, SapMessage::number)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("F2", "042"));
      assertThat(e.sapMessages().get(0).message()).contains(number).contains("FERRY");
      release.countDown();
      holder.get(10, TimeUnit.SECONDS);
      assertThat(backend.update(number, patch).city()).isEqualTo("Hamburg");
    } finally {
      release.countDown();
      other.shutdownNow();
    }
  }

  @Test
  void updateOfAnUnknownCustomerIsNotFound() {
    CustomerPatch patch = new CustomerPatch(Customer.builder().city("Hamburg").build(), Set.of("city"));

    SapException e = catchThrowableOfType(SapException.class, () -> backend.update("999999", patch));

    assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(e.code()).isEqualTo("FERRY-SAP-0002");
    assertThat(sim.callCount(BapiBackend.COMMIT)).isZero();
  }

  @Test
  void readOfAnUnknownCustomerIsNotFound() {
    SapException e = catchThrowableOfType(SapException.class, () -> backend.read("999999"));

    assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(e.code()).isEqualTo("FERRY-SAP-0002");
    assertThat(e.getMessage()).contains("0000999999");
    assertThat(catchThrowableOfType(SapException.class, () -> backend.read("no such number!")).kind())
        .isEqualTo(Kind.NOT_FOUND);
  }

  @Test
  void communicationFaultIsUnavailableAndNeverShowsThePassword() {
    sim.failNextCalls(1, JCoException.JCO_ERROR_COMMUNICATION);

    SapException e = catchThrowableOfType(SapException.class, () -> backend.create(acme()));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.code()).isEqualTo("FERRY-SAP-0003");
    assertThat(e.getMessage()).contains(SimDestinations.SIM).doesNotContain(SimDestinations.PASSWORD);
    assertThat(sim.customerExists("0000100001")).isFalse();
  }

  @Test
  void timeoutDuringTheCommitIsAnUnknownOutcome() {
    // The agent cannot tell whether the commit ran before the connection broke (here it did not).
    sim.failNextCallOf(BapiBackend.COMMIT, JCoException.JCO_ERROR_TIMEOUT);

    SapException e = catchThrowableOfType(SapException.class, () -> backend.create(acme()));

    assertThat(e.kind()).isEqualTo(Kind.OUTCOME_UNKNOWN);
    assertThat(e.getMessage()).contains("(135)");
    assertThat(sim.callCount(BapiBackend.CREATE)).isEqualTo(1);
    assertThat(sim.customerExists("0000100001")).isFalse();
  }

  @Test
  void refusedLogonIsConfigurationAndNeverShowsThePassword() {
    BapiBackend wrong = new BapiBackend(SimDestinations.WRONG_PASSWORD, Map.of("1000/10/00", "1000"));

    SapException e = catchThrowableOfType(SapException.class, () -> wrong.read("1000"));

    assertThat(e.kind()).isEqualTo(Kind.CONFIGURATION);
    assertThat(e.code()).isEqualTo("FERRY-SAP-0004");
    assertThat(e.getMessage()).contains("jco.client.passwd").doesNotContain(SimDestinations.PASSWORD);
  }

  @Test
  void unknownDestinationIsConfiguration() {
    BapiBackend nowhere = new BapiBackend("NO_SUCH_DESTINATION", Map.of());

    SapException e = catchThrowableOfType(SapException.class, () -> nowhere.read("1000"));

    assertThat(e.kind()).isEqualTo(Kind.CONFIGURATION);
    assertThat(e.getMessage()).contains("NO_SUCH_DESTINATION").contains("sap.destination");
  }

  @Test
  void readReportsTheSalesAreaAndItsCurrency() throws Exception {
    Customer reference = backend.read("1000");

    assertThat(reference.customerNumber()).isEqualTo("0000001000");
    assertThat(reference.salesArea()).isEqualTo(AREA);
    assertThat(reference.currency()).isEqualTo("EUR");
    assertThat(reference.language()).isEqualTo("de");
    assertThat(reference.sapMessages()).isEqualTo(List.of());
  }
}
