package io.ferry.agent.sap;

import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPatch;

/**
 * One way of reaching SAP (JCo/BAPI or OData). The executor calls it on a worker thread; an
 * implementation must be safe for concurrent calls, each call being one SAP transaction.
 *
 * <p>Every method returns the customer as SAP holds it afterwards, in the canonical model (ISO codes,
 * customer number with leading zeros), with SAP's success and warning messages in {@code sapMessages}.
 */
public interface SapBackend extends AutoCloseable {

  /** {@code bapi} or {@code odata}: reported to the relay and shown to operators. */
  String name();

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
  default java.util.Optional<Correlation> correlation(String jobId) {
    return java.util.Optional.empty();
  }

  /** The customer a create marked with this correlation made, if SAP holds one. */
  default java.util.Optional<Customer> findByCorrelation(Correlation correlation) throws SapException {
    throw new SapException(SapException.Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION,
        "the " + name() + " backend cannot look customers up by correlation", java.util.List.of());
  }

  /** Reads the customer; {@link SapException.Kind#NOT_FOUND} when SAP has no such customer. */
  Customer read(String customerNumber) throws SapException;

  /** Changes exactly the fields the patch names, commits, and returns the customer as re-read from SAP. */
  Customer update(String customerNumber, CustomerPatch patch) throws SapException;

  /**
   * The customer whose {@code externalId} is this, if SAP holds one. The agent uses it before a create
   * that may have run already (a redelivered job), and for upserts.
   */
  default java.util.Optional<Customer> findByExternalId(String externalId) throws SapException {
    throw new SapException(SapException.Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION,
        "the " + name() + " backend cannot look customers up by external id", java.util.List.of());
  }

  /**
   * One page of customers matching {@code query.text()} (names and external id), at most
   * {@code query.top()} of them, continuing after {@code query.cursor()} when given.
   */
  default io.ferry.protocol.CustomerPage search(io.ferry.protocol.SearchQuery query) throws SapException {
    throw new SapException(SapException.Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION,
        "the " + name() + " backend cannot search customers", java.util.List.of());
  }

  /**
   * Checks the way to SAP step by step (reachability, logon, the functions or service Ferry needs) for
   * {@code ferry agent test-sap}. Never throws: a failure is a failed check.
   */
  default SapDiagnosis diagnose() {
    return new SapDiagnosis(name(), "?", java.util.List.of(SapDiagnosis.Check.failed("diagnosis",
        "the " + name() + " backend has no self-test", "none")));
  }

  @Override
  default void close() {}
}
