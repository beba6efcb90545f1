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

  /** Reads the customer; {@link SapException.Kind#NOT_FOUND} when SAP has no such customer. */
  Customer read(String customerNumber) throws SapException;

  /** Changes exactly the fields the patch names, commits, and returns the customer as re-read from SAP. */
  Customer update(String customerNumber, CustomerPatch patch) throws SapException;

  @Override
  default void close() {}
}
