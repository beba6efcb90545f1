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

  /**
   * A create marked with {@code correlation} (null: unmarked). A create whose answer was lost is looked up by the
   * customer's {@code externalId}, else by the correlation; the job gate has checked its sales area already.
   */
  SapCall<Customer> create(Customer customer, Correlation correlation) {
    SapCall.Work<Customer> work = () -> port.create(customer, correlation);
    if (customer.externalId() != null && !customer.externalId().isBlank()) {
      return SapCall.create("create", SUBJECT, work, findByExternalId(customer.externalId()),
          "externalId " + customer.externalId());
    }
    if (correlation != null) {
      return SapCall.create("create", SUBJECT, work, findByCorrelation(correlation), correlation.toString());
    }
    return SapCall.create("create", SUBJECT, work, null,
        "the customer has no externalId and the agent's sap.correlation-field is none");
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
