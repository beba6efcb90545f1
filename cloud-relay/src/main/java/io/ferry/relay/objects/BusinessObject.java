package io.ferry.relay.objects;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Action;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.salesorder.SalesOrderRules;
import io.ferry.relay.auth.Scope;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The business objects the relay serves, and what the shared job machinery needs to know of each: its names, its
 * routes' paths, its scopes, the field that holds its number in SAP's answer, how an agent's answer is checked, and
 * which jobs of it must not run at once. Routes, handlers and the OpenAPI fragment are the object's own; everything
 * that answers, checks, groups or authorises a job by its action asks here, so a new object is one constant more
 * (see docs/adding-a-business-object.md).
 */
public enum BusinessObject {

  /** Customers: the first object, whose jobs carry the customer fields of the protocol rather than a payload. */
  CUSTOMER("customer", "customer", "/v1/customers", "/v1/customer-batches", "customerNumber",
      List.of(Scope.CUSTOMERS_READ, Scope.CUSTOMERS_WRITE), "customer model", output -> List.of(), List.of()),

  /** Sales orders: a header with items, created and read; their jobs carry the order as a payload. */
  SALES_ORDER("salesorder", "sales order", "/v1/sales-orders", "/v1/sales-order-batches", "salesOrder",
      List.of(Scope.SALES_ORDERS_READ, Scope.SALES_ORDERS_WRITE), "sales-order model", SalesOrderRules::checkResult,
      // Two creates of one order (the same reference for the same sold-to party) one after the other, so the
      // second finds the first's order; reads of one order in turn.
      List.of(List.of("soldToParty", "purchaseOrderByCustomer"), List.of("salesOrder"))),

  /*
   * Generic calls (docs/functions.md, docs/odata.md): no curated model, SAP's own metadata instead. They
   * have no number, no batches and no order among their jobs: each job is an SQS message group of its own (the
   * relay cannot know which two calls of a function touch the same thing; the agent refuses to repeat an
   * unknown outcome unless the function is declared repeatable).
   */

  /** What the agent allows generically ({@code catalog.read}): listed for either kind of generic key. */
  CATALOG("catalog", "catalog", "/v1/functions", null, null,
      List.of(Scope.FUNCTIONS_CALL, Scope.ODATA_READ, Scope.ODATA_WRITE), "catalog", GenericResults::catalog,
      List.of()),

  /** Function modules: described and called ({@code function.describe}, {@code function.call}). */
  FUNCTION("function", "function module", "/v1/functions", null, null, List.of(Scope.FUNCTIONS_CALL),
      "function's answer", GenericResults::function, List.of()),

  /** OData resources: read, written, described ({@code odata.read}, {@code odata.write}). */
  ODATA("odata", "OData resource", "/v1/odata", null, null, List.of(Scope.ODATA_READ, Scope.ODATA_WRITE),
      "OData answer", GenericResults::odata, List.of());

  private final String wireName;
  private final String noun;
  private final String path;
  private final String batchPath;
  private final String numberField;
  private final List<Scope> follow;
  private final String model;
  private final Function<JsonNode, List<FieldError>> resultRules;
  private final List<List<String>> groupFields;

  BusinessObject(String wireName, String noun, String path, String batchPath, String numberField, List<Scope> follow,
      String model, Function<JsonNode, List<FieldError>> resultRules, List<List<String>> groupFields) {
    this.wireName = wireName;
    this.noun = noun;
    this.path = path;
    this.batchPath = batchPath;
    this.numberField = numberField;
    this.follow = follow;
    this.model = model;
    this.resultRules = resultRules;
    this.groupFields = groupFields;
  }

  /** The object a job of {@code action} works on: the prefix of the action's wire name. */
  public static BusinessObject of(Action action) {
    String prefix = action.wireName().substring(0, action.wireName().indexOf('.'));
    for (BusinessObject o : values()) {
      if (o.wireName.equals(prefix)) {
        return o;
      }
    }
    throw new IllegalArgumentException("no business object serves " + action.wireName());
  }

  /** {@code customer}, {@code salesorder}: as action wire names and listings write it. */
  public String wireName() {
    return wireName;
  }

  /** {@code customer}, {@code sales order}: as messages say it. */
  public String noun() {
    return noun;
  }

  /** The engine API's collection, {@code /v1/sales-orders}: an object's {@code Location} is below it. */
  public String path() {
    return path;
  }

  /** Where batches of the object are posted, {@code /v1/sales-order-batches}. */
  public String batchPath() {
    return batchPath;
  }

  /** The member of SAP's answer that holds the object's number, {@code salesOrder}. */
  public String numberField() {
    return numberField;
  }

  /**
   * The member a callback carries the object in: {@code customer}, {@code salesOrder}; a generic call's answer as
   * {@code output}.
   */
  public String callbackMember() {
    if (isGeneric()) {
      return "output";
    }
    return this == CUSTOMER ? "customer" : numberField;
  }

  /** Whether the object is a generic call (catalog, function module, OData resource) rather than a curated object. */
  public boolean isGeneric() {
    return this == CATALOG || this == FUNCTION || this == ODATA;
  }

  /** The scopes any of which lets a key follow a job of this object ({@code GET /v1/operations/{id}}). */
  public Scope[] followScopes() {
    return follow.toArray(Scope[]::new);
  }

  /** For messages: {@code the sales-order model}. */
  public String model() {
    return model;
  }

  /** Where an agent's answer (a payload object's {@code output}) breaks the model; empty when it keeps to it. */
  public List<FieldError> breaches(JsonNode output) {
    return resultRules.apply(output);
  }

  /**
   * The key of the jobs of a payload that must run one after the other (an SQS message group): the values of the
   * first group of fields the payload has all of, joined; empty when it has none.
   */
  public Optional<String> groupKey(JsonNode payload) {
    for (List<String> fields : groupFields) {
      StringBuilder key = new StringBuilder();
      for (String f : fields) {
        String v = payload == null ? "" : payload.path(f).asText("").strip();
        if (v.isEmpty()) {
          key = null;
          break;
        }
        key.append(key.isEmpty() ? "" : "/").append(v);
      }
      if (key != null) {
        return Optional.of(wireName + ":" + key);
      }
    }
    return Optional.empty();
  }
}
