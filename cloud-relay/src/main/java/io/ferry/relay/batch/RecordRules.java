package io.ferry.relay.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerRules;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.salesorder.SalesOrder;
import io.ferry.protocol.salesorder.SalesOrderRules;
import io.ferry.relay.dispatch.JobRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks one record the way the single-customer routes check a body — {@link CustomerRules#checkCreate}
 * for insert and upsert, {@link CustomerRules#checkPatch} for update — plus what the mode needs (an
 * {@code externalId} to upsert by, a {@code customerNumber} to update), and turns a valid one into its
 * job request.
 */
final class RecordRules {

  private static final ObjectMapper JSON = Protocol.json();
  /** Longest identifier kept with a record for the results (an invalid one may be any length). */
  private static final int MAX_ID = 255;

  /**
   * A checked record: {@code errors} empty and {@code requestJson} set when it is valid.
   *
   * @param recordKey what two records in flight must not share (upsert: externalId; update: the number)
   */
  record Checked(List<FieldError> errors, String requestJson, String recordKey, String externalId,
      String customerNumber) {

    boolean valid() {
      return errors.isEmpty();
    }
  }

  private RecordRules() {}

  static Checked check(BatchMode mode, JsonNode element) {
    if (!(element instanceof ObjectNode record)) {
      return new Checked(List.of(new FieldError("", "must be a JSON object with the "
          + (mode.salesOrders() ? "sales order's" : "customer's") + " fields")), null, null, null, null);
    }
    if (mode == BatchMode.SALES_ORDER_CREATE) {
      return salesOrder(record);
    }
    String externalId = text(record.get(ModelFields.EXTERNAL_ID));
    return switch (mode) {
      case INSERT -> create(mode, record, externalId);
      case UPSERT -> create(mode, record, externalId);
      case UPDATE -> update(record, externalId);
      case SALES_ORDER_CREATE -> throw new IllegalStateException("checked above");
    };
  }

  /**
   * A sales order, checked as {@code POST /v1/sales-orders} checks its body, items nested as sent. Its customer
   * reference stands where a customer record's external id does (the results name it), and with the sold-to
   * party it is the key two records in flight must not share: two creates of one order run one after the other,
   * so the second finds the first's order.
   */
  private static Checked salesOrder(ObjectNode record) {
    String reference = text(record.get("purchaseOrderByCustomer"));
    List<FieldError> errors = new ArrayList<>(SalesOrderRules.checkCreate(record));
    if (!errors.isEmpty()) {
      return new Checked(errors, null, null, reference, null);
    }
    SalesOrder order;
    try {
      order = JSON.treeToValue(record, SalesOrder.class);
    } catch (JsonProcessingException e) {
      return new Checked(List.of(new FieldError("", "does not fit the sales-order model: " + e.getOriginalMessage())),
          null, null, reference, null);
    }
    String key = normalised(order.soldToParty()) + "/" + order.purchaseOrderByCustomer().toUpperCase(Locale.ROOT);
    return new Checked(List.of(), JobRequest.payload(JSON.valueToTree(order)).toJson(), key, reference, null);
  }

  private static Checked create(BatchMode mode, ObjectNode record, String externalId) {
    List<FieldError> errors = new ArrayList<>(CustomerRules.checkCreate(record));
    if (mode == BatchMode.UPSERT && !record.hasNonNull(ModelFields.EXTERNAL_ID)) {
      errors.add(new FieldError(ModelFields.EXTERNAL_ID,
          "is required in upsert mode: the agent finds the customer in SAP by it"));
    }
    if (!errors.isEmpty()) {
      return new Checked(sorted(errors), null, null, externalId, null);
    }
    Customer customer;
    try {
      customer = JSON.treeToValue(record, Customer.class);
    } catch (JsonProcessingException e) {
      return new Checked(List.of(new FieldError("", "does not fit the customer model: " + e.getOriginalMessage())),
          null, null, externalId, null);
    }
    String key = mode == BatchMode.UPSERT ? customer.externalId() : null;
    return new Checked(List.of(), JobRequest.create(customer).toJson(), key, externalId, null);
  }

  private static Checked update(ObjectNode record, String externalId) {
    JsonNode numberNode = record.remove(ModelFields.CUSTOMER_NUMBER);
    String number = text(numberNode);
    List<FieldError> errors = new ArrayList<>();
    if (numberNode == null || numberNode.isNull()) {
      errors.add(new FieldError(ModelFields.CUSTOMER_NUMBER,
          "is required in update mode: the SAP customer the record changes"));
    } else if (!numberNode.isTextual() || !CustomerRules.isCustomerNumber(numberNode.asText())) {
      errors.add(new FieldError(ModelFields.CUSTOMER_NUMBER, "must be 1 to 10 letters or digits"
          + (number == null ? "" : ", was '" + number + "'")));
    }
    errors.addAll(CustomerRules.checkPatch(record));
    if (!errors.isEmpty()) {
      return new Checked(sorted(errors), null, null, externalId, number);
    }
    String key = normalised(number);
    return new Checked(List.of(), JobRequest.update(number, record, null).toJson(), key, externalId, number);
  }

  /** SAP's ALPHA conversion: {@code 100001} and {@code 0000100001} are one customer. */
  private static String normalised(String number) {
    String upper = number.toUpperCase(Locale.ROOT);
    if (!upper.chars().allMatch(Character::isDigit)) {
      return upper;
    }
    String stripped = upper.replaceFirst("^0+", "");
    return stripped.isEmpty() ? "0" : stripped;
  }

  private static List<FieldError> sorted(List<FieldError> errors) {
    errors.sort((a, b) -> a.field().compareTo(b.field()));
    return errors;
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isContainerNode()) {
      return null;
    }
    String s = node.asText();
    return s.length() > MAX_ID ? s.substring(0, MAX_ID) : s;
  }
}
