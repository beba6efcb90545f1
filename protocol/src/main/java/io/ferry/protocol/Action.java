package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a job asks the agent to do in SAP. The wire names are stable; add, never rename. */
public enum Action {
  @JsonProperty("customer.create") CUSTOMER_CREATE("customer.create"),
  @JsonProperty("customer.update") CUSTOMER_UPDATE("customer.update"),
  @JsonProperty("customer.read") CUSTOMER_READ("customer.read"),
  /** Create the customer, or update the one SAP already holds with the same {@code externalId}. */
  @JsonProperty("customer.upsert") CUSTOMER_UPSERT("customer.upsert"),
  @JsonProperty("customer.search") CUSTOMER_SEARCH("customer.search");

  private final String wireName;

  Action(String wireName) {
    this.wireName = wireName;
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
