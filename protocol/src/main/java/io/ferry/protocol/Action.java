package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a job asks the agent to do in SAP. The wire names are stable; add, never rename. */
public enum Action {
  @JsonProperty("customer.create") CUSTOMER_CREATE("customer.create"),
  @JsonProperty("customer.update") CUSTOMER_UPDATE("customer.update"),
  @JsonProperty("customer.read") CUSTOMER_READ("customer.read"),
  /** Create the customer, or update the one SAP already holds with the same {@code externalId}. */
  @JsonProperty("customer.upsert") CUSTOMER_UPSERT("customer.upsert"),
  @JsonProperty("customer.search") CUSTOMER_SEARCH("customer.search"),
  /** Create a sales order; its payload is a {@link io.ferry.protocol.salesorder.SalesOrder}. */
  @JsonProperty("salesorder.create") SALES_ORDER_CREATE("salesorder.create"),
  /** Read a sales order; its payload is a {@link io.ferry.protocol.salesorder.SalesOrderRead}. */
  @JsonProperty("salesorder.read") SALES_ORDER_READ("salesorder.read");

  private final String wireName;

  Action(String wireName) {
    this.wireName = wireName;
  }

  /** Whether the action only reads SAP: it takes no Idempotency-Key and no callback, and is safe to repeat. */
  public boolean isRead() {
    return this == CUSTOMER_READ || this == CUSTOMER_SEARCH || this == SALES_ORDER_READ;
  }

  /**
   * Whether the job's request travels in the envelope's and result's generic {@code payload}/{@code output}
   * fields rather than the customer fields that predate them.
   */
  public boolean carriesPayload() {
    return this == SALES_ORDER_CREATE || this == SALES_ORDER_READ;
  }

  public String wireName() {
    return wireName;
  }

  public static Action fromWireName(String name) {
    for (Action a : values()) {
      if (a.wireName.equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown action '" + name + "'");
  }
}
