package io.ferry.relay.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an API key may do. Scopes do not imply each other: an {@link #ADMIN} key administers its
 * tenant but cannot create customers, so a leaked engine key cannot mint keys and a leaked admin key
 * cannot write to SAP without leaving a trace in the key list.
 */
public enum Scope {
  /** Read customers and operations. */
  CUSTOMERS_READ("customers:read"),
  /** Create, update and upsert customers. */
  CUSTOMERS_WRITE("customers:write"),
  /** Read sales orders (and the operations and batches of sales-order jobs). */
  SALES_ORDERS_READ("salesorders:read"),
  /** Create sales orders. */
  SALES_ORDERS_WRITE("salesorders:write"),
  /** List, describe and call the function modules the agent allows ({@code /v1/functions}). */
  FUNCTIONS_CALL("functions:call"),
  /** List the OData resources the agent allows and read them, their $metadata and schemas ({@code GET /v1/odata}). */
  ODATA_READ("odata:read"),
  /** Create, change and delete through the OData resources the agent allows ({@code POST|PUT|PATCH|DELETE /v1/odata}). */
  ODATA_WRITE("odata:write"),
  /** Read the tenant's change feed: customers created or changed in SAP ({@code GET /v1/customer-changes}). */
  CHANGES_READ("changes:read"),
  /**
   * Subscribe to the change feed: webhooks an engine registers ({@code /v1/subscriptions}). Its deliveries carry the
   * feed's customer data, so a key with it receives what {@link #CHANGES_READ} reads (docs/security.md).
   */
  SUBSCRIPTIONS_WRITE("subscriptions:write"),
  /** The admin API of the key's own tenant: keys, agents, enrollment tokens. */
  ADMIN("admin");

  /**
   * What keys made without naming scopes may do: every engine action. Keys made before scopes existed keep what
   * the store gave them then ({@code customers:read customers:write}): a new business object never widens an
   * existing key.
   */
  public static final Set<Scope> ENGINE =
      Set.copyOf(EnumSet.of(CUSTOMERS_READ, CUSTOMERS_WRITE, SALES_ORDERS_READ, SALES_ORDERS_WRITE, FUNCTIONS_CALL,
          ODATA_READ, ODATA_WRITE, CHANGES_READ, SUBSCRIPTIONS_WRITE));

  private final String wireName;

  Scope(String wireName) {
    this.wireName = wireName;
  }

  /** As in requests, listings and the store: {@code customers:read}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<Scope> of(String wireName) {
    if (wireName == null) {
      return Optional.empty();
    }
    String wanted = wireName.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(s -> s.wireName.equals(wanted)).findFirst();
  }

  /** Space-separated, in declaration order (the store's column, OAuth's {@code scope}). */
  public static String join(Set<Scope> scopes) {
    return scopes.stream().sorted().map(Scope::wireName).collect(Collectors.joining(" "));
  }

  /** Reads {@link #join}'s form; unknown words are dropped, never widened. */
  public static Set<Scope> split(String joined) {
    EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
    if (joined != null) {
      for (String word : joined.trim().split("\\s+")) {
        of(word).ifPresent(scopes::add);
      }
    }
    return Set.copyOf(scopes);
  }

  /** Every wire name, for messages: {@code customers:read, customers:write, admin}. */
  public static String allNames() {
    return Arrays.stream(values()).map(Scope::wireName).collect(Collectors.joining(", "));
  }
}
