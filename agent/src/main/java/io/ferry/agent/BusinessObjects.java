package io.ferry.agent;

import io.ferry.agent.customer.CustomerJobs;
import io.ferry.agent.salesorder.SalesOrderJobs;
import io.ferry.agent.handler.JobHandlers;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapCalls;

/**
 * The business objects this agent works on, each registered by one line: its job handler, on the backend's port
 * for it. A new object adds its handler here (see docs/adding-a-business-object.md).
 */
public final class BusinessObjects {

  private BusinessObjects() {}

  /** The handlers of every object, calling SAP through {@code calls} on {@code backend}'s ports. */
  public static JobHandlers handlers(SapBackend backend, SapCalls calls) {
    return JobHandlers.of(
        new io.ferry.agent.odata.ODataJobs(backend, calls),
        new CustomerJobs(backend, calls),
        new SalesOrderJobs(backend, calls));
  }
}
