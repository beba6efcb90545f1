package io.ferry.agent.sap.bapi;

import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoRuntimeException;
import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import io.ferry.agent.salesorder.SalesOrderPort;
import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapConversions;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SapMessage;
import io.ferry.protocol.salesorder.SalesOrder;
import io.ferry.protocol.salesorder.SalesOrderItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Sales orders over RFC: {@code BAPI_SALESORDER_CREATEFROMDAT2} and {@code BAPI_TRANSACTION_COMMIT} in one session
 * (an E or A in {@code RETURN} rolls back and is BUSINESS, with all of SAP's messages), read back with
 * {@code BAPISDORDER_GETDETAILEDLIST} so a create answers what a later read answers, and looked up by sold-to party
 * and customer reference with {@code BAPI_SALESORDER_GETLIST}. The sold-to party goes in {@code ORDER_PARTNERS} with
 * SAP's internal partner function {@code AG}; each item's quantity goes in its schedule line ({@code REQ_QTY}) and
 * as {@code TARGET_QTY}, as SAP's samples send both.
 */
final class BapiSalesOrders implements SalesOrderPort {

  static final String CREATE = "BAPI_SALESORDER_CREATEFROMDAT2";
  static final String DETAILS = "BAPISDORDER_GETDETAILEDLIST";
  static final String LIST = "BAPI_SALESORDER_GETLIST";

  /** Every function module sales orders need (the transaction BAPIs are the customer backend's too). */
  static final List<String> FUNCTIONS = List.of(CREATE, DETAILS, LIST);

  private final String destination;
  private final CallPolicy calls;

  BapiSalesOrders(String destination, CallPolicy calls) {
    this.destination = destination;
    this.calls = calls;
  }

  /**
   * Creates and commits in one session. Lost before or during the BAPI is UNAVAILABLE (the session ends
   * uncommitted and SAP drops the order); lost during the commit, or a failed read after it, is OUTCOME_UNKNOWN.
   */
  @Override
  public SalesOrder create(SalesOrder order) throws SapException {
    Rfc rfc = Rfc.connect(destination, calls);
    try {
      return create(rfc, order);
    } catch (JCoException e) {
      throw JcoErrors.map(e, destination, "creating a sales order");
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, destination, "creating a sales order");
    }
  }

  private SalesOrder create(Rfc rfc, SalesOrder order) throws JCoException, SapException {
    JCoFunction create = rfc.function(CREATE);
    JCoFunction commit = rfc.function(BapiBackend.COMMIT);
    JCoFunction rollback = rfc.function(BapiBackend.ROLLBACK);
    fill(create, order);
    record Created(String number, List<SapMessage> messages) {}
    Created created = rfc.stateful(() -> {
      rfc.execute(create);
      List<SapMessage> messages = ReturnMessages.ofTable(create.getTableParameterList().getTable("RETURN"));
      String number = create.getExportParameterList().getString("SALESDOCUMENT").strip();
      if (ReturnMessages.hasError(messages) || number.isEmpty()) {
        throw Rfc.rolledBack(rfc, rollback, JcoErrors.business("SAP refused to create the sales order: "
            + ReturnMessages.firstError(messages), messages));
      }
      List<SapMessage> all = new ArrayList<>(messages);
      try {
        all.addAll(Rfc.commit(rfc, commit, rollback, "the new sales order " + number));
      } catch (JCoException e) {
        throw outcomeUnknown(e, "committing the new sales order " + number);
      }
      return new Created(number, all);
    });
    try {
      return read(rfc, created.number()).orElseThrow(() -> new SapException(SapException.Kind.OUTCOME_UNKNOWN,
          SapErrorCodes.OUTCOME_UNKNOWN, "SAP committed sales order " + created.number() + " but does not find it "
              + "when it is read back", created.messages())).withSapMessages(created.messages());
    } catch (JCoException | JCoRuntimeException e) {
      throw outcomeUnknown(e, "reading the new sales order " + created.number() + " back after SAP committed it");
    }
  }

  private static void fill(JCoFunction create, SalesOrder order) throws SapException {
    JCoStructure header = create.getImportParameterList().getStructure("ORDER_HEADER_IN");
    SalesArea area = order.salesArea();
    Rfc.put(header, "DOC_TYPE", order.salesOrderType(), "salesOrderType");
    Rfc.put(header, "SALES_ORG", area.salesOrganization(), "salesArea.salesOrganization");
    Rfc.put(header, "DISTR_CHAN", area.distributionChannel(), "salesArea.distributionChannel");
    Rfc.put(header, "DIVISION", area.division(), "salesArea.division");
    Rfc.put(header, "PURCH_NO_C", order.purchaseOrderByCustomer(), "purchaseOrderByCustomer");
    if (order.requestedDeliveryDate() != null) {
      header.setValue("REQ_DATE_H", order.requestedDeliveryDate());
    }
    JCoTable partners = create.getTableParameterList().getTable("ORDER_PARTNERS");
    partners.appendRow();
    partners.setValue("PARTN_ROLE", "AG");
    partners.setValue("PARTN_NUMB", customerNumber(order.soldToParty()));
    JCoTable items = create.getTableParameterList().getTable("ORDER_ITEMS_IN");
    JCoTable schedules = create.getTableParameterList().getTable("ORDER_SCHEDULES_IN");
    for (int i = 0; i < order.items().size(); i++) {
      SalesOrderItem item = order.items().get(i);
      String number = String.format("%06d", (i + 1) * 10);
      String field = "items[" + i + "].";
      items.appendRow();
      items.setValue("ITM_NUMBER", number);
      Rfc.put(items, "MATERIAL_LONG", item.material(), field + "material");
      items.setValue("TARGET_QTY", item.requestedQuantity());
      Rfc.put(items, "TARGET_QU", item.unit(), field + "unit");
      if (item.plant() != null) {
        Rfc.put(items, "PLANT", item.plant(), field + "plant");
      }
      schedules.appendRow();
      schedules.setValue("ITM_NUMBER", number);
      schedules.setValue("SCHED_LINE", "0001");
      schedules.setValue("REQ_QTY", item.requestedQuantity());
      if (order.requestedDeliveryDate() != null) {
        schedules.setValue("REQ_DATE", order.requestedDeliveryDate());
      }
    }
  }

  @Override
  public Optional<SalesOrder> findByReference(String soldToParty, String salesOrganization, String reference)
      throws SapException {
    String action = "looking up the sales order of sold-to party " + soldToParty + " with customer reference "
        + reference;
    Rfc rfc = Rfc.connect(destination, calls);
    try {
      JCoFunction list = rfc.function(LIST);
      list.getImportParameterList().setValue("CUSTOMER_NUMBER", customerNumber(soldToParty));
      Rfc.put(list.getImportParameterList(), "SALES_ORGANIZATION", salesOrganization, "salesArea.salesOrganization");
      Rfc.put(list.getImportParameterList(), "PURCHASE_ORDER_NUMBER", reference, "purchaseOrderByCustomer");
      rfc.execute(list);
      List<SapMessage> messages = ReturnMessages.of(list.getExportParameterList().getStructure("RETURN"));
      if (ReturnMessages.is(messages, "F2", "502")) {
        return Optional.empty(); // no such customer, so no order of it: the create itself says what SAP thinks
      }
      if (ReturnMessages.hasError(messages)) {
        throw JcoErrors.business("SAP refused " + action + ": " + ReturnMessages.firstError(messages), messages);
      }
      // One row per item; SAP's match on the reference may ignore case, Ferry's does not.
      TreeSet<String> numbers = new TreeSet<>();
      JCoTable rows = list.getTableParameterList().getTable("SALES_ORDERS");
      for (int i = 0; i < rows.getNumRows(); i++) {
        rows.setRow(i);
        String found = Rfc.optional(rows, "PURCH_NO_C");
        if (found.strip().equals(reference.strip())) {
          numbers.add(rows.getString("SD_DOC").strip());
        }
      }
      if (numbers.isEmpty()) {
        return Optional.empty();
      }
      if (numbers.size() > 1) {
        throw JcoErrors.business(numbers.size() + " SAP sales orders of sold-to party " + soldToParty
            + " carry customer reference " + reference + ": " + numbers, List.of());
      }
      return read(rfc, numbers.first());
    } catch (JCoException e) {
      throw JcoErrors.map(e, destination, action);
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, destination, action);
    }
  }

  @Override
  public SalesOrder read(String salesOrder) throws SapException {
    String number;
    try {
      number = SapConversions.toInternalCustomerNumber(salesOrder);
    } catch (IllegalArgumentException e) {
      throw notFound(salesOrder);
    }
    Rfc rfc = Rfc.connect(destination, calls);
    try {
      return read(rfc, number).orElseThrow(() -> notFound(number));
    } catch (JCoException e) {
      throw JcoErrors.map(e, destination, "reading sales order " + number);
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, destination, "reading sales order " + number);
    }
  }

  /** GETDETAILEDLIST for one order: header and items; empty when SAP has no such order (the BAPI has no RETURN). */
  private static Optional<SalesOrder> read(Rfc rfc, String number) throws JCoException, SapException {
    JCoFunction details = rfc.function(DETAILS);
    JCoStructure view = details.getImportParameterList().getStructure("I_BAPI_VIEW");
    view.setValue("HEADER", "X");
    view.setValue("ITEM", "X");
    view.setValue("PARTNER", "X");
    JCoTable keys = details.getTableParameterList().getTable("SALES_DOCUMENTS");
    keys.appendRow();
    keys.setValue("VBELN", number);
    rfc.execute(details);
    JCoTable headers = details.getTableParameterList().getTable("ORDER_HEADERS_OUT");
    if (headers.getNumRows() == 0) {
      return Optional.empty();
    }
    headers.setRow(0);
    JCoTable rows = details.getTableParameterList().getTable("ORDER_ITEMS_OUT");
    List<SalesOrderItem> items = new ArrayList<>();
    for (int i = 0; i < rows.getNumRows(); i++) {
      rows.setRow(i);
      String material = Rfc.optional(rows, "MATERIAL_LONG").strip();
      items.add(new SalesOrderItem(stripZeros(rows.getString("ITM_NUMBER")),
          material.isEmpty() ? rows.getString("MATERIAL").strip() : material,
          rows.getBigDecimal("REQ_QTY").stripTrailingZeros(), blankToNull(rows.getString("SALES_UNIT")),
          blankToNull(rows.getString("PLANT")), rows.getBigDecimal("NET_VALUE")));
    }
    String reference = Rfc.optional(headers, "PURCH_NO_C").strip();
    String date = headers.getString("REQ_DATE_H").strip();
    return Optional.of(new SalesOrder(headers.getString("DOC_NUMBER").strip(), headers.getString("DOC_TYPE").strip(),
        new SalesArea(headers.getString("SALES_ORG").strip(), headers.getString("DISTR_CHAN").strip(),
            headers.getString("DIVISION").strip()),
        headers.getString("SOLD_TO").strip(), reference.isEmpty() ? headers.getString("PURCH_NO").strip() : reference,
        date.isEmpty() || date.startsWith("0000") ? null : date, headers.getBigDecimal("NET_VAL_HD"),
        blankToNull(headers.getString("CURRENCY")), items, List.of()));
  }

  private static String customerNumber(String number) throws SapException {
    try {
      return SapConversions.toInternalCustomerNumber(number);
    } catch (IllegalArgumentException e) {
      throw JcoErrors.business("soldToParty " + e.getMessage(), List.of());
    }
  }

  private SapException outcomeUnknown(Exception e, String action) {
    return new SapException(SapException.Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN, "SAP destination '"
        + destination + "', " + action + ": " + e.getMessage() + "; SAP may have created the sales order", List.of(), e);
  }

  private static SapException notFound(String number) {
    return new SapException(SapException.Kind.NOT_FOUND, SapErrorCodes.NOT_FOUND, "SAP has no sales order " + number,
        List.of());
  }

  private static String stripZeros(String numc) {
    String s = numc.strip().replaceFirst("^0+", "");
    return s.isEmpty() ? "0" : s;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
