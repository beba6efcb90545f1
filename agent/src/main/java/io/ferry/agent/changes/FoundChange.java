package io.ferry.agent.changes;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * A change of a customer as SAP recorded it, before the agent read the customer.
 *
 * @param customerNumber SAP's number of the customer, with leading zeros
 * @param changedAt when SAP recorded it, in SAP's own time zone ({@code sap.time-zone}): change documents and OData's
 *     dates carry no zone, the watcher gives them one
 * @param created whether this change is the customer's creation
 */
public record FoundChange(String customerNumber, LocalDateTime changedAt, boolean created) {

  public FoundChange {
    Objects.requireNonNull(customerNumber, "customerNumber");
    Objects.requireNonNull(changedAt, "changedAt");
  }
}
