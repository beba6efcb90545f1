package io.ferry.protocol.salesorder;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.TextRules;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The field rules of the sales-order model, checked on the engine's JSON before anything reaches SAP. Lengths
 * are the tighter of the two interfaces: the BAPI's {@code ORDER_HEADER_IN}/{@code ORDER_ITEMS_IN} and
 * {@code API_SALES_ORDER_SRV}'s {@code A_SalesOrder}/{@code A_SalesOrderItem} (both take a 35-character customer
 * reference and a 40-character material number; the quantity is QUAN 13.3, at most ten digits before the point).
 */
public final class SalesOrderRules {

  /** Items one order may carry: SAP allows more, but an order this large from a workflow is a mistake. */
  public static final int MAX_ITEMS = 250;

  private enum Kind { CODE, TEXT, DATE }

  private record Rule(int maxLength, Kind kind, boolean required) {}

  private static final Map<String, Rule> HEADER = Map.of(
      "salesOrderType", new Rule(4, Kind.CODE, true),
      "soldToParty", new Rule(10, Kind.CODE, true),
      "purchaseOrderByCustomer", new Rule(35, Kind.TEXT, true),
      "requestedDeliveryDate", new Rule(10, Kind.DATE, false));

  private static final Map<String, Rule> SALES_AREA = Map.of(
      "salesOrganization", new Rule(4, Kind.CODE, true),
      "distributionChannel", new Rule(2, Kind.CODE, true),
      "division", new Rule(2, Kind.CODE, true));

  private static final Map<String, Rule> ITEM = Map.of(
      "material", new Rule(40, Kind.TEXT, true),
      "unit", new Rule(3, Kind.CODE, true),
      "plant", new Rule(4, Kind.CODE, false));

  /** What SAP assigns, refused in a request. */
  private static final Set<String> ASSIGNED_HEADER = Set.of("salesOrder", "netAmount", "currency", "sapMessages");
  private static final Set<String> ASSIGNED_ITEM = Set.of("item", "netAmount");

  /** Sales-order numbers as engines type them: up to ten letters or digits, leading zeros optional. */
  private static final Pattern NUMBER = Pattern.compile("[A-Za-z0-9]{1,10}");
  private static final BigDecimal MAX_QUANTITY = new BigDecimal("9999999999.999");

  private SalesOrderRules() {}

  /** Problems with a body for {@code POST /v1/sales-orders}; empty when it is valid. */
  public static List<FieldError> checkCreate(JsonNode body) {
    List<FieldError> errors = new ArrayList<>();
    if (body == null || !body.isObject()) {
      errors.add(new FieldError("", "the body must be a JSON object with the sales order's fields"));
      return errors;
    }
    checkFields(body, "", HEADER, Set.of("salesArea", "items"), ASSIGNED_HEADER, errors);
    JsonNode area = body.get("salesArea");
    if (area == null || area.isNull()) {
      errors.add(new FieldError("salesArea",
          "is required: the sales area (salesOrganization, distributionChannel, division) the order is sold in"));
    } else if (!area.isObject()) {
      errors.add(new FieldError("salesArea", "must be an object with salesOrganization, distributionChannel and division"));
    } else {
      checkFields(area, "salesArea.", SALES_AREA, Set.of(), Set.of(), errors);
    }
    JsonNode items = body.get("items");
    if (items == null || items.isNull() || (items.isArray() && items.isEmpty())) {
      errors.add(new FieldError("items", "is required: at least one item with material, requestedQuantity and unit"));
    } else if (!items.isArray()) {
      errors.add(new FieldError("items", "must be an array of items"));
    } else if (items.size() > MAX_ITEMS) {
      errors.add(new FieldError("items", "must hold at most " + MAX_ITEMS + " items, held " + items.size()));
    } else {
      for (int i = 0; i < items.size(); i++) {
        checkItem(items.get(i), "items[" + i + "].", errors);
      }
    }
    errors.sort(Comparator.comparing(FieldError::field));
    return errors;
  }

  /**
   * Problems with an order as an agent reports it (what SAP answered): it has a number, each item has one, and
   * every field of the model it carries is within SAP's length. A result that fails this did not come from
   * SAP's fields as the model knows them, and is not passed on to engines.
   */
  public static List<FieldError> checkResult(JsonNode order) {
    List<FieldError> errors = new ArrayList<>();
    if (order == null || !order.isObject()) {
      errors.add(new FieldError("", "must be a JSON object with the sales order's fields"));
      return errors;
    }
    JsonNode number = order.get("salesOrder");
    if (number == null || !number.isTextual() || !isSalesOrderNumber(number.asText())) {
      errors.add(new FieldError("salesOrder", "must be the order's number: up to ten letters or digits"));
    }
    lengths(order, "", HEADER, errors);
    JsonNode area = order.get("salesArea");
    if (area != null && area.isObject()) {
      lengths(area, "salesArea.", SALES_AREA, errors);
    }
    JsonNode items = order.get("items");
    if (items != null && items.isArray()) {
      for (int i = 0; i < items.size(); i++) {
        JsonNode item = items.get(i);
        JsonNode itemNumber = item.get("item");
        if (itemNumber == null || !itemNumber.isTextual() || !itemNumber.asText().matches("[0-9]{1,6}")) {
          errors.add(new FieldError("items[" + i + "].item", "must be the item's number: up to six digits"));
        }
        lengths(item, "items[" + i + "].", ITEM, errors);
      }
    }
    errors.sort(Comparator.comparing(FieldError::field));
    return errors;
  }

  /** Whether {@code number} can be a sales-order number (the ALPHA conversion adds leading zeros later). */
  public static boolean isSalesOrderNumber(String number) {
    return number != null && NUMBER.matcher(number).matches();
  }

  private static void checkItem(JsonNode item, String prefix, List<FieldError> errors) {
    if (!item.isObject()) {
      errors.add(new FieldError(prefix.substring(0, prefix.length() - 1), "must be an object with material, "
          + "requestedQuantity and unit"));
      return;
    }
    checkFields(item, prefix, ITEM, Set.of("requestedQuantity"), ASSIGNED_ITEM, errors);
    JsonNode quantity = item.get("requestedQuantity");
    String path = prefix + "requestedQuantity";
    if (quantity == null || quantity.isNull()) {
      errors.add(new FieldError(path, "is required"));
    } else if (!quantity.isNumber()) {
      errors.add(new FieldError(path, "must be a number, such as 2 or 1.5"));
    } else {
      BigDecimal q = quantity.decimalValue();
      // toString, not toPlainString: 1e999999999 is a short text but a billion digits written out.
      if (q.signum() <= 0) {
        errors.add(new FieldError(path, "must be more than 0, was " + q));
      } else if (q.compareTo(MAX_QUANTITY) > 0) {
        errors.add(new FieldError(path, "must be at most " + MAX_QUANTITY.toPlainString()
            + " (SAP's quantity field), was " + q));
      } else if (q.stripTrailingZeros().scale() > 3) {
        errors.add(new FieldError(path, "must have at most 3 decimals (SAP's quantity field), was " + q));
      }
    }
  }

  private static void checkFields(JsonNode node, String prefix, Map<String, Rule> rules, Set<String> checkedElsewhere,
      Set<String> assigned, List<FieldError> errors) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      String path = prefix + name;
      if (checkedElsewhere.contains(name)) {
        continue;
      }
      if (assigned.contains(name)) {
        errors.add(new FieldError(path, "is assigned by SAP and cannot be sent"));
        continue;
      }
      Rule rule = rules.get(name);
      if (rule == null) {
        errors.add(new FieldError(path, "is not a field of the sales-order model"));
        continue;
      }
      JsonNode value = e.getValue();
      if (value.isNull()) {
        errors.add(new FieldError(path, "must not be null; leave the field out instead"));
      } else if (!value.isTextual()) {
        errors.add(new FieldError(path, "must be a string"));
      } else {
        checkValue(path, value.asText(), rule, errors);
      }
    }
    rules.forEach((name, rule) -> {
      if (rule.required() && node.get(name) == null) {
        errors.add(new FieldError(prefix + name, "is required" + (name.equals("purchaseOrderByCustomer")
            ? ": the customer's reference, by which a redelivered create finds the order SAP already made" : "")));
      }
    });
  }

  private static void checkValue(String path, String sent, Rule rule, List<FieldError> errors) {
    if (rule.kind() != Kind.DATE) {
      TextRules.fieldProblem(sent, rule.maxLength(), rule.kind() == Kind.CODE)
          .ifPresent(m -> errors.add(new FieldError(path, m)));
      return;
    }
    var unfit = TextRules.unfitOrBlank(sent);
    if (unfit.isPresent()) {
      errors.add(new FieldError(path, unfit.get()));
      return;
    }
    try {
      if (sent.length() != 10) {
        throw new DateTimeParseException("not YYYY-MM-DD", sent, 0);
      }
      LocalDate.parse(sent);
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(path, "must be a date as YYYY-MM-DD, such as 2027-01-31, was '" + sent + "'"));
    }
  }

  private static void lengths(JsonNode node, String prefix, Map<String, Rule> rules, List<FieldError> errors) {
    rules.forEach((name, rule) -> {
      JsonNode value = node.get(name);
      if (value == null || value.isNull()) {
        return;
      }
      if (!value.isTextual()) {
        errors.add(new FieldError(prefix + name, "must be a string"));
      } else if (value.asText().codePointCount(0, value.asText().length()) > rule.maxLength()) {
        errors.add(new FieldError(prefix + name, "must be at most " + rule.maxLength()
            + " characters (SAP's field length)"));
      }
    });
  }

  /** Every field an engine may send, as {@link #checkCreate} names them (items as {@code items[].material}). */
  public static Set<String> fieldPaths() {
    Set<String> paths = new java.util.TreeSet<>(HEADER.keySet());
    SALES_AREA.keySet().forEach(f -> paths.add("salesArea." + f));
    ITEM.keySet().forEach(f -> paths.add("items[]." + f));
    paths.add("items[].requestedQuantity");
    return java.util.Collections.unmodifiableSet(paths);
  }

  /** The longest value SAP takes for a field of {@link #fieldPaths()}, for the OpenAPI document's maxLength. */
  public static int maxLength(String path) {
    String name = path.substring(path.lastIndexOf('.') + 1);
    Rule rule = path.startsWith("salesArea.") ? SALES_AREA.get(name)
        : path.startsWith("items[].") ? ITEM.get(name) : HEADER.get(name);
    if (rule == null) {
      throw new IllegalArgumentException("no text field " + path + " in the sales-order model");
    }
    return rule.maxLength();
  }
}
