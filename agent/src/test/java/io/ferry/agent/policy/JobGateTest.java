package io.ferry.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SalesArea;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Whatever the relay asks: each of these jobs is refused by the agent's own policy before SAP is called. */
class JobGateTest {

  private static final AgentPolicy RESTRICTED = AgentPolicy.defaults()
      .withActions(Action.CUSTOMER_CREATE, Action.CUSTOMER_READ, Action.CUSTOMER_UPDATE)
      .withSalesOrganizations("1000")
      .withCompanyCodes("1000");

  private static JobEnvelope job(Action action, Customer customer, String changes) throws Exception {
    return new JobEnvelope(Protocol.VERSION, "job-1", action, 1, Instant.now(), Instant.now(), "0000100001", customer,
        changes == null ? null : (ObjectNode) new ObjectMapper().readTree(changes), null, null, null);
  }

  private static Customer customer(String salesOrg, String companyCode) {
    return Customer.builder().name("Gate GmbH").country("DE").salesArea(new SalesArea(salesOrg, "10", "00"))
        .companyCode(companyCode).build();
  }

  private static JobError refusal(JobEnvelope job) {
    return new JobGate(RESTRICTED).refusal(job).orElseThrow();
  }

  @Test
  void anActionTheAgentDoesNotRunIsRefused() throws Exception {
    JobError e = refusal(job(Action.CUSTOMER_UPSERT, customer("1000", "1000"), null));

    assertThat(e.kind()).isEqualTo(JobError.Kind.FORBIDDEN);
    assertThat(e.code()).isEqualTo(AgentPolicy.ACTION_FORBIDDEN);
    assertThat(e.message()).isEqualTo("forbidden by agent policy: this agent does not run customer.upsert (policy.actions)");
  }

  @Test
  void aCreateInAnotherSalesOrganisationIsRefused() throws Exception {
    JobError e = refusal(job(Action.CUSTOMER_CREATE, customer("2000", "1000"), null));

    assertThat(e.code()).isEqualTo(AgentPolicy.SALES_ORGANIZATION_FORBIDDEN);
    assertThat(e.message()).startsWith("forbidden by agent policy").contains("sales organisation 2000")
        .doesNotContain("1000"); // the caller learns what was refused, not what is allowed
  }

  @Test
  void aCreateInAnotherCompanyCodeIsRefused() throws Exception {
    JobError e = refusal(job(Action.CUSTOMER_CREATE, customer("1000", "3000"), null));

    assertThat(e.code()).isEqualTo(AgentPolicy.COMPANY_CODE_FORBIDDEN);
    assertThat(e.message()).contains("company code 3000", "policy.company-codes");
  }

  @Test
  void anUpdateMovingTheCustomerToAnotherSalesOrganisationOrCompanyCodeIsRefused() throws Exception {
    assertThat(refusal(job(Action.CUSTOMER_UPDATE, null,
        "{\"salesArea\":{\"salesOrganization\":\"2000\",\"distributionChannel\":\"10\",\"division\":\"00\"}}")).code())
        .isEqualTo(AgentPolicy.SALES_ORGANIZATION_FORBIDDEN);
    assertThat(refusal(job(Action.CUSTOMER_UPDATE, null, "{\"companyCode\":\"3000\"}")).code())
        .isEqualTo(AgentPolicy.COMPANY_CODE_FORBIDDEN);
  }

  @Test
  void aCreateWithoutASalesAreaIsRefusedWhenSalesOrganisationsAreRestricted() throws Exception {
    Customer none = Customer.builder().name("Gate GmbH").country("DE").build();

    assertThat(refusal(job(Action.CUSTOMER_CREATE, none, null)).code()).isEqualTo(AgentPolicy.SALES_ORGANIZATION_FORBIDDEN);
  }

  @Test
  void whatThePolicyAllowsPasses() throws Exception {
    JobGate gate = new JobGate(RESTRICTED);

    assertThat(gate.refusal(job(Action.CUSTOMER_CREATE, customer("1000", "1000"), null))).isEmpty();
    assertThat(gate.refusal(job(Action.CUSTOMER_UPDATE, null, "{\"name\":\"New\"}"))).isEmpty();
    assertThat(gate.refusal(job(Action.CUSTOMER_READ, null, null))).isEmpty();
    assertThat(new JobGate(AgentPolicy.defaults()).refusal(job(Action.CUSTOMER_UPSERT, customer("9999", "9999"), null)))
        .isEmpty();
  }

  @Test
  void aSalesOrderIsRefusedUnlessTheActionIsNamedAndItsSalesOrganisationAllowed() throws Exception {
    ObjectNode order = (ObjectNode) new ObjectMapper().readTree("""
        {"salesOrderType":"OR","salesArea":{"salesOrganization":"2000","distributionChannel":"10","division":"00"},
         "soldToParty":"100001","purchaseOrderByCustomer":"PO-1","items":[{"material":"M","requestedQuantity":1,"unit":"PC"}]}
        """);
    JobEnvelope create = JobEnvelope.withPayload(Protocol.VERSION, "job-2", Action.SALES_ORDER_CREATE, 1, Instant.now(),
        Instant.now(), null, order);

    assertThat(new JobGate(AgentPolicy.defaults()).refusal(create)).hasValueSatisfying(e ->
        assertThat(e.code()).isEqualTo(AgentPolicy.ACTION_FORBIDDEN));
    AgentPolicy orders = RESTRICTED.withActions(Action.SALES_ORDER_CREATE);
    assertThat(new JobGate(orders).refusal(create)).hasValueSatisfying(e -> {
      assertThat(e.code()).isEqualTo(AgentPolicy.SALES_ORGANIZATION_FORBIDDEN);
      assertThat(e.message()).contains("sales organisation 2000");
    });
    order.with("salesArea").put("salesOrganization", "1000");
    assertThat(new JobGate(orders).refusal(create)).isEmpty();
  }

  @Test
  void aGenericODataWriteIsNotRefusedForLackingASalesOrganisation() throws Exception {
    ObjectNode request = (ObjectNode) new ObjectMapper().readTree(
        "{\"service\":\"API_BUSINESS_PARTNER\",\"method\":\"POST\",\"path\":\"A_BusinessPartner\","
            + "\"body\":{\"SearchTerm1\":\"X\"}}");
    JobEnvelope write = JobEnvelope.withPayload(Protocol.VERSION, "job-3", Action.ODATA_WRITE, 1, Instant.now(),
        Instant.now(), null, request);

    // policy.odata.resources is its limit (checked by the handler before anything is sent), not the sales areas.
    assertThat(new JobGate(RESTRICTED.withActions(Action.ODATA_WRITE)).refusal(write)).isEmpty();
    assertThat(new JobGate(RESTRICTED.withActions(Action.ODATA_READ)).refusal(write)).hasValueSatisfying(e ->
        assertThat(e.code()).isEqualTo(AgentPolicy.ACTION_FORBIDDEN));
  }
}
