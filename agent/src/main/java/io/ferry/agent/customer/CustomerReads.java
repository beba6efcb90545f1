package io.ferry.agent.customer;

import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import java.util.Optional;

/**
 * Reads customers for the agent's own tasks (the change watcher) exactly as a {@code customer.read} job does: the
 * same call through the same layers, the sales-organisation guard judging the answer.
 */
public final class CustomerReads {


  private final CustomerCalls calls;
  private final SapCalls sap;

  /** @param sap the layers every call passes (guard, retries, breaker, metering) */
  public CustomerReads(CustomerPort port, SapCalls sap) {
    this.calls = new CustomerCalls(port);
    this.sap = sap;
  }

  /**
   * The customer as SAP holds it now; empty when SAP has no such customer (any more), or the policy does not let the
   * agent see it ({@code policy.sales-organizations}). Other failures are thrown.
   */
  public Optional<Customer> readIfAllowed(String customerNumber) throws SapException {
    try {
      return Optional.of(sap.run(calls.read(customerNumber)));
    } catch (SapException e) {
      if (e.kind() == SapException.Kind.NOT_FOUND
          || e.kind() == SapException.Kind.FORBIDDEN && io.ferry.agent.policy.AgentPolicy.SALES_ORGANIZATION_FORBIDDEN.equals(e.code())) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
