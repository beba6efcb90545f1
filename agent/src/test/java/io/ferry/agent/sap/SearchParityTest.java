package io.ferry.agent.sap;

import static org.assertj.core.api.Assertions.assertThat;
import io.ferry.agent.customer.CustomerPort;

import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SearchQuery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same customers in both SAP backends: every search answers the same customers in the same order. */
class SearchParityTest {

  private static SimulatedSap bapi;
  private static SimulatedSap odata;

  @BeforeAll
  static void sameDataInBoth() throws Exception {
    bapi = SimulatedSap.start(SimulatedSap.Kind.BAPI);
    odata = SimulatedSap.start(SimulatedSap.Kind.ODATA);
    for (SimulatedSap sap : List.of(bapi, odata)) {
      CustomerPort b = sap.customers();
      b.create(customer("CRM-1", "Muster GmbH", null));
      b.create(customer("CRM-2", "Beispiel AG", null));
      b.create(customer("CRM-3", "Beispiel KG", "Muster Vertrieb"));
      b.create(customer("MUSTER-4", "Other Ltd", null));
      b.create(customer("CRM-5", "muster klein", null));
      b.create(customer("CRM-6", "Star * Shop", null));
      b.create(customer("CRM-7", "O'Brien Ltd", null));
    }
  }

  @AfterAll
  static void stop() {
    bapi.close();
    odata.close();
  }

  private static Customer customer(String externalId, String name, String name2) {
    return Customer.builder().externalId(externalId).name(name).name2(name2).street("Hauptstrasse").houseNumber("5")
        .postalCode("69190").city("Walldorf").country("DE").language("de").currency("EUR").email("info@example.com")
        .phone("+49 6227 1234").salesArea(new SalesArea("1000", "10", "00")).build();
  }

  /** Every customer of a search, page by page, with where each page ended. */
  private static List<String> walk(CustomerPort backend, String text, int top, String start) throws SapException {
    List<String> seen = new ArrayList<>();
    String cursor = start;
    do {
      CustomerPage page = backend.search(new SearchQuery(text, top, cursor));
      page.customers().forEach(c -> seen.add(c.customerNumber() + " " + c));
      seen.add("next " + page.nextCursor());
      cursor = page.nextCursor();
    } while (cursor != null && seen.size() < 100);
    return seen;
  }

  @Test
  void everySearchAnswersTheSameCustomersInTheSameOrderOnBothBackends() throws Exception {
    for (String text : new String[] {"Muster", "muster", "MUSTER", "Beispiel", "CRM", "crm-", "r * S", "O'Brien", "Ltd",
        "ltd", "nobody"}) {
      for (int top : new int[] {1, 2, 50}) {
        assertThat(walk(odata.customers(), text, top, null)).as(text + ", top " + top)
            .isEqualTo(walk(bapi.customers(), text, top, null));
      }
    }
    // Issue 15: names match ignoring case, as the external id did: "muster klein" is found by "Muster" too.
    for (String text : new String[] {"Muster", "muster", "MUSTER"}) {
      assertThat(walk(bapi.customers(), text, 50, null)).as(text).hasSize(4 + 1)
          .anyMatch(l -> l.contains("muster klein")).anyMatch(l -> l.contains("Muster Vertrieb"));
    }
  }

  @Test
  void listingEveryCustomerAgreesAfterTheCustomersOnlyTheSimulatorIsSeededWith() throws Exception {
    // The JCo simulator is seeded with reference customer 0000001000; the OData peer starts empty.
    for (int top : new int[] {1, 3, 200}) {
      assertThat(walk(odata.customers(), null, top, "0000001000")).as("top " + top)
          .isEqualTo(walk(bapi.customers(), null, top, "0000001000"));
    }
    assertThat(walk(odata.customers(), null, 200, null)).hasSize(7 + 1);
  }
}
