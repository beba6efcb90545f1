package io.ferry.agent.customer;

import io.ferry.agent.sap.Correlation;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SearchQuery;
import java.util.List;
import java.util.Optional;

/**
 * Customers in SAP, as one backend (JCo/BAPI or OData) reaches them. The customer executor calls it through the
 * layers every SAP call passes ({@link io.ferry.agent.sap.SapCalls}); an implementation is only the mapping.
 *
 * <p>Every method returns the customer as SAP holds it afterwards, in the canonical model (ISO codes, customer
 * number with leading zeros), with SAP's success and warning messages in {@code sapMessages}.
 */
public interface CustomerPort {

  /**
   * Creates the customer and commits. When the customer names no {@code referenceCustomer}, the backend
   * uses the default its configuration names for the customer's sales area.
   */
  Customer create(Customer customer) throws SapException;

  /**
   * Creates the customer marked with {@code correlation} (null: unmarked), so that
   * {@link #findByCorrelation} finds it when the answer is lost. An implementation reports
   * {@link SapException.Kind#UNAVAILABLE} only when SAP surely did not create the customer, and
   * {@link SapException.Kind#OUTCOME_UNKNOWN} when it may have.
   */
  default Customer create(Customer customer, Correlation correlation) throws SapException {
    return create(customer);
  }

  /**
   * How a create of this job is marked in SAP; empty when this backend marks none (the agent's
   * {@code sap.correlation-field} is {@code none}).
   */
  default Optional<Correlation> correlation(String jobId) {
    return Optional.empty();
  }

  /** The customer a create marked with this correlation made, if SAP holds one. */
  default Optional<Customer> findByCorrelation(Correlation correlation) throws SapException {
    throw unsupported("look customers up by correlation");
  }

  /** Reads the customer; {@link SapException.Kind#NOT_FOUND} when SAP has no such customer. */
  Customer read(String customerNumber) throws SapException;

  /** Changes exactly the fields the patch names, commits, and returns the customer as re-read from SAP. */
  Customer update(String customerNumber, CustomerPatch patch) throws SapException;

  /**
   * The customer whose {@code externalId} is this, if SAP holds one. The agent uses it before a create
   * that may have run already (a redelivered job), and for upserts.
   */
  default Optional<Customer> findByExternalId(String externalId) throws SapException {
    throw unsupported("look customers up by external id");
  }

  /**
   * One page of customers matching {@code query.text()} (names and external id), at most
   * {@code query.top()} of them, continuing after {@code query.cursor()} when given.
   */
  default CustomerPage search(SearchQuery query) throws SapException {
    throw unsupported("search customers");
  }

  private SapException unsupported(String what) {
    return new SapException(SapException.Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION,
        "this SAP backend (" + getClass().getSimpleName() + ") cannot " + what, List.of());
  }
}
