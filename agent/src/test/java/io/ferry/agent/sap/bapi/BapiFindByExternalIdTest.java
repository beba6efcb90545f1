package io.ferry.agent.sap.bapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sap.conn.jco.JCoException;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapException.Kind;
import io.ferry.protocol.Customer;
import io.ferry.protocol.SalesArea;
import io.ferry.sapsim.SapSimulator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BapiFindByExternalIdTest {

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

  private static Customer customer(String externalId, String name) {
    return Customer.builder()
        .externalId(externalId)
        .name(name)
        .street("Hauptstrasse")
        .houseNumber("1")
        .postalCode("10115")
        .city("Berlin")
        .country("DE")
        .language("de")
        .currency("EUR")
        .salesArea(new SalesArea("1000", "10", "00"))
        .build();
  }

  @Test
  void findsTheCustomerCarryingTheExternalIdAsARead() throws Exception {
    Customer acme = backend.create(customer("CRM-0001", "Acme GmbH"));
    backend.create(customer("CRM-00012", "Acme Two GmbH"));

    Optional<Customer> found = backend.findByExternalId("CRM-0001");

    assertThat(found).isPresent();
    assertThat(found.get()).isEqualTo(backend.read(acme.customerNumber()));
    assertThat(sim.callCount(BapiBackend.FIND)).isEqualTo(1);
  }

  @Test
  void noCustomerWithTheExternalIdIsEmpty() throws Exception {
    backend.create(customer("CRM-0001", "Acme GmbH"));

    assertThat(backend.findByExternalId("CRM-9999")).isEmpty();
    assertThat(backend.findByExternalId("crm-0001")).isEmpty();
    assertThat(backend.findByExternalId("X".repeat(BapiBackend.EXTERNAL_ID_MAX + 1))).isEmpty();
  }

  @Test
  void severalCustomersWithTheExternalIdAreABusinessFailureNamingThem() throws Exception {
    Customer first = backend.create(customer("CRM-0001", "Acme GmbH"));
    Customer second = backend.create(customer("CRM-0001", "Acme GmbH (duplicate)"));

    SapException e = catchThrowableOfType(SapException.class, () -> backend.findByExternalId("CRM-0001"));

    assertThat(e.kind()).isEqualTo(Kind.BUSINESS);
    assertThat(e.code()).isEqualTo("FERRY-SAP-0001");
    assertThat(e.getMessage()).contains("2 SAP customers carry externalId CRM-0001")
        .contains(first.customerNumber()).contains(second.customerNumber());
  }

  @Test
  void blankExternalIdIsRefusedBeforeSapIsCalled() {
    SapException e = catchThrowableOfType(SapException.class, () -> backend.findByExternalId(" "));

    assertThat(e.kind()).isEqualTo(Kind.BUSINESS);
    assertThat(sim.totalCalls()).isZero();
  }

  @Test
  void aSystemWithoutBapiCustomerFindIsAConfigurationProblem() {
    BapiBackend old = new BapiBackend(SimDestinations.WITHOUT_FIND, Map.of("1000/10/00", "1000"));

    SapException e = catchThrowableOfType(SapException.class, () -> old.findByExternalId("CRM-0001"));

    assertThat(e.kind()).isEqualTo(Kind.CONFIGURATION);
    assertThat(e.getMessage()).contains("BAPI_CUSTOMER_FIND");
  }

  @Test
  void aBrokenConnectionIsUnavailable() {
    sim.failNextCallOf(BapiBackend.FIND, JCoException.JCO_ERROR_COMMUNICATION);

    SapException e = catchThrowableOfType(SapException.class, () -> backend.findByExternalId("CRM-0001"));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.sapMessages()).isEqualTo(List.of());
  }
}
