package io.ferry.agent.sap.bapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sap.conn.jco.JCoException;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapException.Kind;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SearchQuery;
import io.ferry.sapsim.SapSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lists and searches over BAPI_CUSTOMER_GETLIST and BAPI_CUSTOMER_FIND against the simulator. */
class BapiSearchTest {

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

  private Customer create(String externalId, String name, String name2) throws SapException {
    return backend.create(Customer.builder().externalId(externalId).name(name).name2(name2).street("Hauptstrasse")
        .postalCode("69190").city("Walldorf").country("DE").language("de").currency("EUR")
        .salesArea(new SalesArea("1000", "10", "00")).build());
  }

  /** Every page of a search, following the cursors. */
  private List<CustomerPage> pages(String text, int top) throws SapException {
    List<CustomerPage> pages = new ArrayList<>();
    String cursor = null;
    do {
      CustomerPage page = backend.search(new SearchQuery(text, top, cursor));
      pages.add(page);
      cursor = page.nextCursor();
    } while (cursor != null && pages.size() < 50);
    return pages;
  }

  private static List<String> numbers(List<CustomerPage> pages) {
    return pages.stream().flatMap(p -> p.customers().stream()).map(Customer::customerNumber).toList();
  }

  @Test
  void withoutTextEveryCustomerIsListedInNumberOrderPageByPage() throws Exception {
    Customer a = create("CRM-1", "Muster GmbH", null);
    Customer b = create("CRM-2", "Beispiel AG", null);
    Customer c = create("CRM-3", "Other Ltd", null);

    List<CustomerPage> pages = pages(null, 2);

    assertThat(numbers(pages)).containsExactly("0000001000", a.customerNumber(), b.customerNumber(), c.customerNumber());
    assertThat(pages).hasSize(2);
    assertThat(pages.get(0).nextCursor()).isEqualTo(a.customerNumber());
    assertThat(pages.get(1).nextCursor()).isNull();
    assertThat(sim.callCount(BapiBackend.GETLIST)).isEqualTo(2);
    assertThat(sim.callCount(BapiBackend.GETDETAIL1)).as("three creates, then only the customers of each page")
        .isEqualTo(3 + 4);
    assertThat(pages.get(1).customers().get(0)).isEqualTo(backend.read(b.customerNumber()));
  }

  @Test
  void aTextMatchesNameName2OrTheExternalIdAndPagesWithoutDuplicates() throws Exception {
    Customer a = create("CRM-1", "Muster GmbH", null);
    create("CRM-2", "Beispiel AG", null);
    Customer c = create("CRM-3", "Beispiel KG", "Muster Vertrieb");
    Customer d = create("MUSTER-4", "Other Ltd", null);

    List<CustomerPage> pages = pages("Muster", 1);

    assertThat(numbers(pages)).containsExactly(a.customerNumber(), c.customerNumber(), d.customerNumber());
    assertThat(pages).hasSize(3);
    assertThat(pages.get(2).nextCursor()).isNull();
    assertThat(numbers(pages(" ", 50))).hasSize(5);
  }

  @Test
  void namesAndExternalIdsMatchIgnoringCase() throws Exception {
    Customer upper = create("CRM-1", "Muster GmbH", null);
    Customer small = create("CRM-2", "muster kleinbetrieb", null);
    Customer lower = create("crm-lower", "Other Ltd", null);

    // Issue 15: a user searching "muster" means "Muster GmbH" too (SAP's match codes MCOD1/MCOD2 are upper case).
    assertThat(numbers(pages("Muster", 50))).containsExactly(upper.customerNumber(), small.customerNumber());
    assertThat(numbers(pages("MUSTER", 50))).containsExactly(upper.customerNumber(), small.customerNumber());
    assertThat(numbers(pages("other ltd", 50))).containsExactly(lower.customerNumber());
    assertThat(numbers(pages("CRM-L", 50))).containsExactly(lower.customerNumber());
    assertThat(numbers(pages("nobody here", 50))).isEmpty();
    assertThat(pages("nobody here", 50).get(0).nextCursor()).isNull();
  }

  @Test
  void placeholdersInTheTextAreMeantLiterally() throws Exception {
    Customer star = create("CRM-1", "Star * Shop", null);
    create("CRM-2", "Star Shop", null);
    create("CRM-3", "Star+Shop", null);

    assertThat(numbers(pages("r * S", 50))).containsExactly(star.customerNumber());
    assertThat(BapiBackend.escapePattern("a*b+c#d")).isEqualTo("a#*b#+c##d");
  }

  @Test
  void aSearchAsksFindOncePerFieldWithAPatternAndPlaceholders() throws Exception {
    create("CRM-1", "Muster GmbH", null);

    backend.search(new SearchQuery("Muster", 50, null));

    assertThat(sim.callCount(BapiBackend.FIND)).isEqualTo(BapiBackend.SEARCH_FIELDS.size());
    assertThat(sim.callCount(BapiBackend.GETLIST)).isZero();
  }

  @Test
  void theCursorContinuesAfterItsCustomer() throws Exception {
    Customer a = create("CRM-1", "Muster GmbH", null);
    Customer b = create("CRM-2", "Muster AG", null);

    assertThat(backend.search(new SearchQuery("Muster", 50, a.customerNumber())).customers())
        .extracting(Customer::customerNumber).containsExactly(b.customerNumber());
    assertThat(backend.search(new SearchQuery(null, 50, b.customerNumber())).customers()).isEmpty();
  }

  @Test
  void aSystemWithoutTheListBapisIsAConfigurationProblem() {
    BapiBackend old = new BapiBackend(SimDestinations.WITHOUT_FIND, Map.of("1000/10/00", "1000"));

    SapException e = catchThrowableOfType(SapException.class, () -> old.search(new SearchQuery("Muster", 50, null)));

    assertThat(e.kind()).isEqualTo(Kind.CONFIGURATION);
    assertThat(e.getMessage()).contains("BAPI_CUSTOMER_FIND");
  }

  @Test
  void aBrokenConnectionIsUnavailable() {
    sim.failNextCallOf(BapiBackend.GETLIST, JCoException.JCO_ERROR_COMMUNICATION);

    SapException e = catchThrowableOfType(SapException.class, () -> backend.search(new SearchQuery(null, 50, null)));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
  }
}
