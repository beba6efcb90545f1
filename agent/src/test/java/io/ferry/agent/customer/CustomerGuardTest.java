package io.ferry.agent.customer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SearchQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@code policy.sales-organizations} on customer jobs: the guard layer judges what SAP answers with the customer
 * calls' own rules — a read outside the allowed organisations is refused, a change is refused before SAP changes
 * anything, a search leaves such customers out.
 */
class CustomerGuardTest {

  private final FakeSap sap = new FakeSap();
  private final AgentPolicy only2000 = AgentPolicy.defaults().withSalesOrganizations("2000");

  private CustomerJobs jobs(AgentPolicy policy) {
    return new CustomerJobs(sap, SapCalls.of(policy.guard()));
  }

  private static JobEnvelope job(Action action, String customerNumber, SearchQuery search) {
    return new JobEnvelope(Protocol.VERSION, "job-1", action, 1, Instant.now().plusSeconds(60),
        Instant.now().plusSeconds(600), customerNumber,  null,
        action == Action.CUSTOMER_UPDATE ? JsonNodeFactory.instance.objectNode().put("city", "Berlin") : null, null,
        null, search);
  }

  private static void assertForbidden(Executable run) {
    SapException e = org.junit.jupiter.api.Assertions.assertThrows(SapException.class, run);
    assertThat(e.kind()).isEqualTo(SapException.Kind.FORBIDDEN);
    assertThat(e.code()).isEqualTo(AgentPolicy.SALES_ORGANIZATION_FORBIDDEN);
    assertThat(e.getMessage()).contains("customer 0000100001 belongs to sales organisation 1000")
        .contains("policy.sales-organizations");
  }

  @Test
  void aCustomerOfAnotherSalesOrganisationIsNotRead() {
    assertForbidden(() -> jobs(only2000).run(job(Action.CUSTOMER_READ, "0000100001", null), false));
    assertThat(sap.calls).containsExactly("read 0000100001");
  }

  @Test
  void aCustomerOfAnotherSalesOrganisationIsNotChangedAtAll() {
    assertForbidden(() -> jobs(only2000).run(job(Action.CUSTOMER_UPDATE, "0000100001", null), false));
    assertThat(sap.calls).containsExactly("read 0000100001");
  }

  @Test
  void aSearchLeavesOutTheCustomersOfOtherSalesOrganisations() throws Exception {
    CustomerPage page = jobs(only2000).run(job(Action.CUSTOMER_SEARCH, null, new SearchQuery("Muster", 10, null)),
        false).page();

    assertThat(page.customers()).extracting(Customer::customerNumber).containsExactly("0000100002");
  }

  @Test
  void withoutTheSettingAChangeGoesStraightToSap() throws Exception {
    jobs(AgentPolicy.defaults()).run(job(Action.CUSTOMER_UPDATE, "0000100001", null), false);

    assertThat(sap.calls).containsExactly("update 0000100001");
  }

  /** SAP with customer 0000100001 in sales organisation 1000 and 0000100002 in 2000. */
  private static final class FakeSap implements SapBackend, CustomerPort {
    final List<String> calls = new ArrayList<>();

    private static Customer customer(String number, String salesOrganization) {
      return Customer.builder().customerNumber(number).name("Muster").salesArea(new SalesArea(salesOrganization, "10",
          "00")).build();
    }

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public Customer create(Customer customer) {
      throw new AssertionError("not expected");
    }

    @Override
    public Customer read(String customerNumber) {
      calls.add("read " + customerNumber);
      return customer(customerNumber, customerNumber.endsWith("1") ? "1000" : "2000");
    }

    @Override
    public Customer update(String customerNumber, CustomerPatch patch) {
      calls.add("update " + customerNumber);
      return customer(customerNumber, "1000");
    }

    @Override
    public CustomerPage search(SearchQuery query) {
      calls.add("search");
      return new CustomerPage(List.of(customer("0000100001", "1000"), customer("0000100002", "2000")), null);
    }
  }
}
