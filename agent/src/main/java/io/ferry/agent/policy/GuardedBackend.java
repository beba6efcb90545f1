package io.ferry.agent.policy;

import io.ferry.agent.sap.Correlation;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapDiagnosis;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SearchQuery;
import java.util.Optional;

/**
 * The SAP backend with {@code policy.sales-organizations} applied to what SAP answers: which sales
 * organisation a customer belongs to is known only once SAP has said it. A read of a customer outside the
 * allowed ones is refused, a search leaves such customers out, and a change reads the customer first and
 * refuses before anything is changed.
 */
final class GuardedBackend implements SapBackend {

  private final SapBackend sap;
  private final AgentPolicy policy;

  GuardedBackend(SapBackend sap, AgentPolicy policy) {
    this.sap = sap;
    this.policy = policy;
  }

  @Override
  public String name() {
    return sap.name();
  }

  @Override
  public Customer create(Customer customer) throws SapException {
    // The job gate has checked the customer's sales area and company code already.
    return sap.create(customer);
  }

  @Override
  public Customer create(Customer customer, Correlation correlation) throws SapException {
    return sap.create(customer, correlation);
  }

  @Override
  public Optional<Correlation> correlation(String jobId) {
    return sap.correlation(jobId);
  }

  @Override
  public Optional<Customer> findByCorrelation(Correlation correlation) throws SapException {
    Optional<Customer> found = sap.findByCorrelation(correlation);
    if (found.isPresent()) {
      allowed(found.get());
    }
    return found;
  }

  @Override
  public Customer read(String customerNumber) throws SapException {
    return allowed(sap.read(customerNumber));
  }

  @Override
  public Customer update(String customerNumber, CustomerPatch patch) throws SapException {
    allowed(sap.read(customerNumber));
    return sap.update(customerNumber, patch);
  }

  @Override
  public Optional<Customer> findByExternalId(String externalId) throws SapException {
    Optional<Customer> found = sap.findByExternalId(externalId);
    if (found.isPresent()) {
      allowed(found.get());
    }
    return found;
  }

  @Override
  public CustomerPage search(SearchQuery query) throws SapException {
    CustomerPage page = sap.search(query);
    return new CustomerPage(page.customers().stream().filter(this::visible).toList(), page.nextCursor());
  }

  @Override
  public SapDiagnosis diagnose() {
    return sap.diagnose();
  }

  @Override
  public void close() {
    sap.close();
  }

  private boolean visible(Customer c) {
    return c.salesArea() != null && policy.permitsSalesOrganization(c.salesArea().salesOrganization());
  }

  private Customer allowed(Customer c) throws SapException {
    if (!visible(c)) {
      String org = c.salesArea() == null ? "no sales organisation" : "sales organisation " + c.salesArea().salesOrganization();
      throw AgentPolicy.forbidden(AgentPolicy.SALES_ORGANIZATION_FORBIDDEN, "customer " + c.customerNumber()
          + " belongs to " + org + ", which is not in this agent's policy.sales-organizations");
    }
    return c;
  }

  @Override
  public String toString() {
    return sap + " within sales organisations " + policy.salesOrganizations();
  }
}
