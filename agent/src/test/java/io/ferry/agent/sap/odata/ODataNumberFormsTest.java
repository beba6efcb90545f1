package io.ferry.agent.sap.odata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.odatapeer.ODataPeer;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SearchQuery;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Customer numbers between Ferry and SAP: engines see ten digits (as from the BAPI backend) and may send
 * either form; SAP gets its external form — what Gateway answered, or the ALPHA output of the engine's
 * number. Against the OData peer with the ALPHA exit (standard Gateway: either form matches) and without
 * it (only the unpadded form the service shows matches), over real HTTP.
 */
class ODataNumberFormsTest {

  @ParameterizedTest(name = "ALPHA conversion {0}")
  @ValueSource(booleans = {true, false})
  void engineFormsInTenDigitsAndSapGetsItsExternalForm(boolean alpha) throws Exception {
    try (ODataPeer peer = ODataPeer.start(ODataPeer.Options.defaults().withAlphaConversion(alpha));
        ODataBackend backend = new ODataBackend(ODataSettings.basic(URI.create(peer.url()), "100", "FERRY", "ferry-peer"))) {
      Customer created = backend.create(ODataBackendTest.acme());
      backend.create(ODataBackendTest.acme().toBuilder().externalId("CRM-0002").build());
      assertThat(created.customerNumber()).isEqualTo("0000100000");

      for (String asSent : new String[] {"0000100000", "100000", "00100000"}) {
        assertThat(backend.read(asSent).customerNumber()).as("read of %s", asSent).isEqualTo("0000100000");
      }
      peer.clearRequests();
      Customer changed = backend.update("0000100000", patch("{\"name\":\"Acme AG\",\"currency\":\"USD\",\"city\":\"Potsdam\"}"));
      assertThat(changed.customerNumber()).isEqualTo("0000100000");
      assertThat(changed.name()).isEqualTo("Acme AG");
      assertThat(changed.currency()).isEqualTo("USD");
      assertThat(changed.city()).isEqualTo("Potsdam");
      assertThat(peer.requests()).filteredOn(r -> !r.startsWith("GET")).containsExactly(
          "MERGE /A_BusinessPartner('100000')",
          "MERGE /A_BusinessPartnerAddress(BusinessPartner='100000',AddressID='28000')",
          "MERGE /A_CustomerSalesArea(Customer='100000',SalesOrganization='1000',DistributionChannel='10',Division='00')");
      assertThat(backend.update("100000", patch("{\"name2\":null}")).name2()).isNull();

      CustomerPage first = backend.search(new SearchQuery(null, 1, null));
      assertThat(first.customers()).extracting(Customer::customerNumber).containsExactly("0000100000");
      assertThat(first.nextCursor()).isEqualTo("0000100000");
      CustomerPage second = backend.search(new SearchQuery(null, 1, first.nextCursor()));
      assertThat(second.customers()).extracting(Customer::customerNumber).containsExactly("0000100001");
      assertThat(second.nextCursor()).isNull();
      assertThat(backend.findByExternalId("CRM-0002")).map(Customer::customerNumber).hasValue("0000100001");
    }
  }

  private static CustomerPatch patch(String json) throws Exception {
    return CustomerPatch.fromMergePatch((ObjectNode) new ObjectMapper().readTree(json));
  }
}
