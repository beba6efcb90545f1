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
  @JsonProperty("salesorder.read") SALES_ORDER_READ("salesorder.read"),
  /**
   * List what the agent allows to be called generically: function modules and OData resources, with the agent's
   * catalog fingerprint; no payload, the output is a {@link Catalog}.
   */
  @JsonProperty("catalog.read") CATALOG_READ("catalog.read"),
  /** Read a function module's interface; payload {@link io.ferry.protocol.function.FunctionDescribe}. */
  @JsonProperty("function.describe") FUNCTION_DESCRIBE("function.describe"),
  /** Call an allowlisted function module; payload {@link io.ferry.protocol.function.FunctionCall}. */
  @JsonProperty("function.call") FUNCTION_CALL("function.call"),
  /** A GET on an allowlisted OData resource (also $metadata and schemas); payload {@link io.ferry.protocol.odata.ODataRequest}. */
  @JsonProperty("odata.read") ODATA_READ("odata.read"),
  /** A POST, PUT, PATCH, MERGE or DELETE on an allowlisted OData resource; payload {@link io.ferry.protocol.odata.ODataRequest}. */
  @JsonProperty("odata.write") ODATA_WRITE("odata.write");

  private final String wireName;

  Action(String wireName) {
    this.wireName = wireName;
  }

  /** Whether the action only reads SAP: it takes no Idempotency-Key and no callback, and is safe to repeat. */
  public boolean isRead() {
    return this == CUSTOMER_READ || this == CUSTOMER_SEARCH || this == SALES_ORDER_READ || this == CATALOG_READ
        || this == FUNCTION_DESCRIBE || this == ODATA_READ;
  }

  /**
   * Whether the job's request travels in the envelope's and result's generic {@code payload}/{@code output}
   * fields rather than the customer fields that predate them.
   */
  public boolean carriesPayload() {
    return this != CUSTOMER_CREATE && this != CUSTOMER_UPDATE && this != CUSTOMER_READ && this != CUSTOMER_UPSERT
        && this != CUSTOMER_SEARCH;
  }

  /**
   * Whether the action reaches SAP generically (a function module or OData resource the agent's allowlist names)
   * rather than through a curated business object.
   */
  public boolean isGeneric() {
    return this == CATALOG_READ || this == FUNCTION_DESCRIBE || this == FUNCTION_CALL || this == ODATA_READ
        || this == ODATA_WRITE;
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
