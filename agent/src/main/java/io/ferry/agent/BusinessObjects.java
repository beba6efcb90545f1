package io.ferry.agent;

import io.ferry.agent.catalog.CatalogFingerprint;
import io.ferry.agent.catalog.CatalogJobs;
import io.ferry.agent.customer.CustomerJobs;
import io.ferry.agent.function.FunctionJobs;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.salesorder.SalesOrderJobs;
import io.ferry.agent.handler.JobHandlers;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapCalls;

/**
 * The business objects this agent works on, each registered by one line: its job handler, on the backend's port
 * for it. A new object adds its handler here (see docs/adding-a-business-object.md). The generic calls (the catalog,
 * function modules) are registered here too: they need the agent's policy, which decides what they reach.
 */
public final class BusinessObjects {

  private BusinessObjects() {}

  /** The handlers of every object, calling SAP through {@code calls} on {@code backend}'s ports; no generic grants. */
  public static JobHandlers handlers(SapBackend backend, SapCalls calls) {
    return handlers(backend, calls, AgentPolicy.defaults(), CatalogFingerprint.none());
  }

  /**
   * As {@link #handlers(SapBackend, SapCalls)}, with the generic calls that {@code policy}'s grants allow.
   *
   * @param catalog what the grants reach and its fingerprint, computed from the same policy
   */
  public static JobHandlers handlers(SapBackend backend, SapCalls calls, AgentPolicy policy,
      CatalogFingerprint catalog) {
    return JobHandlers.of(
        new io.ferry.agent.odata.ODataJobs(backend, calls),
        new CustomerJobs(backend, calls),
        new SalesOrderJobs(backend, calls),
        new FunctionJobs(backend, calls, policy.calls(null), catalog::current),
        new CatalogJobs(catalog));
  }
}
