package io.ferry.relay.batch;

import io.ferry.protocol.Action;
import java.util.Locale;
import java.util.Optional;

/** What a batch does with each record: the {@code mode} query parameter, and the job a record becomes. */
public enum BatchMode {
  /** Create every record as a new customer ({@code customer.create}). */
  INSERT(Action.CUSTOMER_CREATE),
  /** Change the customer each record names by {@code customerNumber} ({@code customer.update}, a merge patch). */
  UPDATE(Action.CUSTOMER_UPDATE),
  /** Create the customer, or change the one SAP holds with the record's {@code externalId} ({@code customer.upsert}). */
  UPSERT(Action.CUSTOMER_UPSERT),
  /**
   * Create every record as a new sales order ({@code salesorder.create}): the mode of every sales-order batch, which
   * takes no {@code mode} parameter.
   */
  SALES_ORDER_CREATE(Action.SALES_ORDER_CREATE);

  private final Action action;

  BatchMode(Action action) {
    this.action = action;
  }

  public Action action() {
    return action;
  }

  /** {@code insert}, {@code update}, {@code upsert}: how the parameter is written. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the batch's records are sales orders rather than customers. */
  public boolean salesOrders() {
    return action.carriesPayload();
  }

  /** {@code create} for sales orders; as {@link #wireName()} for customers. */
  public String shownName() {
    return salesOrders() ? "create" : wireName();
  }

  /** A customer batch's {@code mode} parameter: {@code insert}, {@code update} or {@code upsert}. */
  public static Optional<BatchMode> fromWireName(String name) {
    for (BatchMode m : values()) {
      if (!m.salesOrders() && m.wireName().equals(name)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  public static BatchMode of(Action action) {
    for (BatchMode m : values()) {
      if (m.action == action) {
        return m;
      }
    }
    throw new IllegalArgumentException("no batch mode runs " + action.wireName());
  }
}
