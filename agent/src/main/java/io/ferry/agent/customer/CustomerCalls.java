package io.ferry.agent.customer;

import io.ferry.agent.sap.Correlation;
import io.ferry.agent.sap.SapCall;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SearchQuery;
import java.util.Optional;

/**
 * Each customer operation as a {@link SapCall}: what it is called in metrics, whether it may be repeated, how the
 * sales-organisation guard judges its answer. The customer's sales area is what the guard looks at; a customer
 * without one belongs to no allowed organisation.
 */
final class CustomerCalls {

  private static final String SUBJECT = "the customer";

  private final CustomerPort port;

  CustomerCalls(CustomerPort port) {
    this.port = port;
  }

  SapCall<Customer> read(String customerNumber) {
    return SapCall.repeatable("read", SUBJECT, () -> port.read(customerNumber)).admitted(CustomerCalls::admit);
  }

  /** Sets the fields the patch names (repeatable: twice leaves SAP as once), after the guard admitted a read. */
  SapCall<Customer> update(String customerNumber, CustomerPatch patch) {
    return SapCall.repeatable("update", SUBJECT, () -> port.update(customerNumber, patch)).after(read(customerNumber));
  }

  SapCall<Optional<Customer>> findByExternalId(String externalId) {
    return SapCall.repeatable("find", SUBJECT, () -> port.findByExternalId(externalId))
        .admitted(CustomerCalls::admitFound);
  }

  SapCall<Optional<Customer>> findByCorrelation(Correlation correlation) {
    return SapCall.repeatable("find", SUBJECT, () -> port.findByCorrelation(correlation))
        .admitted(CustomerCalls::admitFound);
  }

  /** A search leaves out the customers the policy does not allow, rather than refusing the page. */
  SapCall<CustomerPage> search(SearchQuery query) {
    return SapCall.repeatable("search", SUBJECT, () -> port.search(query)).admitted((page, allowed) ->
        new CustomerPage(page.customers().stream().filter(c -> allowed.salesOrganization(salesOrganization(c)))
            .toList(), page.nextCursor()));
  }

  /** How a create is found again in SAP: the call that looks, and what it looks by ("externalId C-1001"). */
  record LookUp(SapCall<Optional<Customer>> call, String label) {}

  /**
   * How a create of {@code customer} marked with {@code correlation} (null: unmarked) is found again: by the
   * customer's {@code externalId}, else by the correlation; null when there is neither.
   */
  LookUp lookUp(Customer customer, Correlation correlation) {
    if (customer.externalId() != null && !customer.externalId().isBlank()) {
      return new LookUp(findByExternalId(customer.externalId()), "externalId " + customer.externalId());
    }
    return correlation == null ? null : new LookUp(findByCorrelation(correlation), correlation.toString());
  }

  /**
   * A create marked with {@code correlation} (null: unmarked), which the resilience layer looks up ({@link #lookUp})
   * when its answer was lost; the job gate has checked its sales area already.
   */
  SapCall<Customer> create(Customer customer, Correlation correlation) {
    return create(customer, correlation, lookUp(customer, correlation));
  }

  /** As {@link #create(Customer, Correlation)}, with its {@link #lookUp} made already. */
  SapCall<Customer> create(Customer customer, Correlation correlation, LookUp lookUp) {
    return SapCall.create("create", SUBJECT, () -> port.create(customer, correlation),
        lookUp == null ? null : lookUp.call(),
        lookUp == null ? "the customer has no externalId and the agent's sap.correlation-field is none" : lookUp.label());
  }

  private static Customer admit(Customer c, SapCall.Allowed allowed) throws io.ferry.agent.sap.SapException {
    String org = salesOrganization(c);
    if (!allowed.salesOrganization(org)) {
      throw allowed.refusal("customer " + c.customerNumber(), org);
    }
    return c;
  }

  private static Optional<Customer> admitFound(Optional<Customer> found, SapCall.Allowed allowed)
      throws io.ferry.agent.sap.SapException {
    if (found.isPresent()) {
      admit(found.get(), allowed);
    }
    return found;
  }

  private static String salesOrganization(Customer c) {
    return c.salesArea() == null ? null : c.salesArea().salesOrganization();
  }
}
