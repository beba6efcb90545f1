package io.ferry.agent.sap.odata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.agent.salesorder.SalesOrderPort;
import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapConversions;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapException.Kind;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SapMessage;
import io.ferry.protocol.salesorder.SalesOrder;
import io.ferry.protocol.salesorder.SalesOrderItem;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Sales orders over {@code API_SALES_ORDER_SRV} on the same Gateway as the business-partner service: a create is one
 * deep insert of {@code A_SalesOrder} with its items ({@code to_Item}; the plant is {@code ProductionPlant}), answered
 * from a read by key with {@code $expand=to_Item}, so a create answers what a later read answers; a look-up filters
 * on {@code SoldToParty}, {@code PurchaseOrderByCustomer} and {@code SalesOrganization}. SAP surely did not act
 * (UNAVAILABLE) when the request was never sent or answered 408 or 429; it may have (OUTCOME_UNKNOWN) after any other
 * I/O failure, a 5xx answer to the POST, or a failed read after the 201.
 */
final class ODataSalesOrders implements SalesOrderPort {

  static final String ORDERS = "A_SalesOrder";
  static final String ITEMS = "A_SalesOrderItem";
  /** The entity sets sales orders use, for {@code policy.odata.paths}. */
  static final List<String> ENTITY_SETS = List.of(ORDERS, ITEMS);
  private static final Pattern DATE = Pattern.compile("/Date\\((-?\\d+)([+-]\\d+)?\\)/");

  private final ODataSettings settings;
  private final ODataClient client;

  ODataSalesOrders(ODataSettings businessPartnerService, CallPolicy calls) {
    this.settings = businessPartnerService.forService(businessPartnerService.salesOrderServiceUrl());
    this.client = new ODataClient(settings, calls);
  }

  @Override
  public SalesOrder create(SalesOrder order) throws SapException {
    String action = "creating a sales order";
    ODataClient.Reply r = client.create(client.url(ORDERS).build(), payload(order).toString(), action);
    List<SapMessage> messages = ODataErrors.fromSapMessageHeader(r.header("sap-message"));
    String number = PartnerMapping.text(json(r, action).path("d"), "SalesOrder");
    if (number == null) {
      number = PartnerMapping.keyOf(ORDERS, r.header("Location"));
    }
    if (number == null) {
      throw ODataErrors.outcomeUnknown(ODataErrors.configuration("SAP answered " + action + " with 201 but named "
          + "neither the sales order nor its Location", messages));
    }
    try {
      return read(number, "reading the new sales order " + number).withSapMessages(messages);
    } catch (SapException e) {
      throw ODataErrors.outcomeUnknown(e);
    }
  }

  @Override
  public Optional<SalesOrder> findByReference(String soldToParty, String salesOrganization, String reference)
      throws SapException {
    String action = "looking up the sales order of sold-to party " + soldToParty + " with customer reference "
        + reference;
    HttpUrl url = client.url(ORDERS)
        .addQueryParameter("$filter", "SoldToParty eq " + literal(soldToParty) + " and PurchaseOrderByCustomer eq "
            + literal(reference) + " and SalesOrganization eq " + literal(salesOrganization))
        .addQueryParameter("$expand", "to_Item").build();
    ODataClient.Reply r = get(url, action);
    JsonNode d = json(r, action).path("d");
    List<JsonNode> rows = PartnerMapping.rows(d.isArray() ? d : d.path("results"));
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    if (rows.size() > 1) {
      throw ODataErrors.business(rows.size() + " SAP sales orders of sold-to party " + soldToParty
          + " carry customer reference " + reference + ": " + rows.stream().map(o -> PartnerMapping.text(o, "SalesOrder"))
              .toList(), List.of());
    }
    return Optional.of(toSalesOrder(rows.get(0)));
  }

  @Override
  public SalesOrder read(String salesOrder) throws SapException {
    return read(salesOrder, "reading sales order " + salesOrder);
  }

  private SalesOrder read(String salesOrder, String action) throws SapException {
    String shown = salesOrder.strip().replaceFirst("^0+(?=\\d)", "");
    HttpUrl url = client.url(ORDERS + "(" + literal(shown) + ")").addQueryParameter("$expand", "to_Item").build();
    ODataClient.Reply r = call(action, url);
    if (r.status() == 404) {
      throw new SapException(Kind.NOT_FOUND, SapErrorCodes.NOT_FOUND, "SAP has no sales order " + salesOrder,
          ODataErrors.fromErrorBody(r.body()));
    }
    if (!r.ok()) {
      throw ODataErrors.failure(r, action, settings);
    }
    return toSalesOrder(json(r, action).path("d"));
  }

  static ObjectNode payload(SalesOrder order) {
    ObjectNode o = ODataErrors.JSON.createObjectNode();
    o.put("SalesOrderType", order.salesOrderType());
    o.put("SalesOrganization", order.salesArea().salesOrganization());
    o.put("DistributionChannel", order.salesArea().distributionChannel());
    o.put("OrganizationDivision", order.salesArea().division());
    o.put("SoldToParty", order.soldToParty());
    o.put("PurchaseOrderByCustomer", order.purchaseOrderByCustomer());
    if (order.requestedDeliveryDate() != null) {
      long millis = LocalDate.parse(order.requestedDeliveryDate()).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      o.put("RequestedDeliveryDate", "/Date(" + millis + ")/");
    }
    ArrayNode items = o.putObject("to_Item").putArray("results");
    for (int i = 0; i < order.items().size(); i++) {
      SalesOrderItem item = order.items().get(i);
      ObjectNode n = items.addObject();
      n.put("SalesOrderItem", Integer.toString((i + 1) * 10));
      n.put("Material", item.material());
      // Edm.Decimal travels as a JSON string in OData V2.
      n.put("RequestedQuantity", item.requestedQuantity().toPlainString());
      n.put("RequestedQuantityUnit", item.unit());
      if (item.plant() != null) {
        n.put("ProductionPlant", item.plant());
      }
    }
    return o;
  }

  /** The order as the model has it: numbers with leading zeros as the BAPI backend answers them, amounts as SAP priced them. */
  static SalesOrder toSalesOrder(JsonNode d) throws SapException {
    List<SalesOrderItem> items = new ArrayList<>();
    for (JsonNode i : PartnerMapping.rows(d.path("to_Item").path("results"))) {
      items.add(new SalesOrderItem(PartnerMapping.text(i, "SalesOrderItem"), PartnerMapping.text(i, "Material"),
          decimal(i, "RequestedQuantity"), PartnerMapping.text(i, "RequestedQuantityUnit"),
          PartnerMapping.text(i, "ProductionPlant"), amount(decimal(i, "NetAmount"))));
    }
    return new SalesOrder(padded(PartnerMapping.text(d, "SalesOrder")), PartnerMapping.text(d, "SalesOrderType"),
        new SalesArea(PartnerMapping.text(d, "SalesOrganization"), PartnerMapping.text(d, "DistributionChannel"),
            PartnerMapping.text(d, "OrganizationDivision")),
        padded(PartnerMapping.text(d, "SoldToParty")), PartnerMapping.text(d, "PurchaseOrderByCustomer"),
        date(PartnerMapping.text(d, "RequestedDeliveryDate")), amount(decimal(d, "TotalNetAmount")),
        PartnerMapping.text(d, "TransactionCurrency"), items, List.of());
  }

  private static String padded(String number) throws SapException {
    if (number == null) {
      throw ODataErrors.configuration("SAP answered a sales order without its number", List.of());
    }
    return SapConversions.toInternalCustomerNumber(number);
  }

  private static BigDecimal decimal(JsonNode row, String property) {
    String text = PartnerMapping.text(row, property);
    return text == null ? null : new BigDecimal(text).stripTrailingZeros();
  }

  /** Two decimals at least, as the BAPI's CURR fields carry them: 273.3 reads 273.30 from either backend. */
  private static BigDecimal amount(BigDecimal value) {
    return value == null || value.scale() >= 2 ? value : value.setScale(2);
  }

  private static String date(String odata) {
    if (odata == null) {
      return null;
    }
    Matcher m = DATE.matcher(odata);
    return m.matches() ? Instant.ofEpochMilli(Long.parseLong(m.group(1))).atZone(ZoneOffset.UTC).toLocalDate().toString()
        : null;
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private ODataClient.Reply get(HttpUrl url, String action) throws SapException {
    ODataClient.Reply r = call(action, url);
    if (!r.ok()) {
      throw ODataErrors.failure(r, action, settings);
    }
    return r;
  }

  private ODataClient.Reply call(String action, HttpUrl url) throws SapException {
    try {
      return client.get(url);
    } catch (IOException e) {
      throw ODataErrors.io(e, action, settings);
    }
  }

  private JsonNode json(ODataClient.Reply r, String action) throws SapException {
    try {
      return ODataErrors.JSON.readTree(r.body());
    } catch (IOException e) {
      throw ODataErrors.configuration("SAP answered " + action + " with something that is not OData JSON from "
          + settings.serviceUrl(), List.of());
    }
  }

  /**
   * {@code ferry agent test-sap}: the service's {@code $metadata} names {@code A_SalesOrder}, and a read of it is
   * allowed. Never throws.
   */
  io.ferry.agent.sap.SapDiagnosis.Check diagnose() {
    String name = "sales-order service";
    try {
      ODataClient.Reply metadata = client.get(client.url("$metadata").build(), "application/xml");
      if (!metadata.ok() || !metadata.body().contains("\"A_SalesOrder\"")) {
        return io.ferry.agent.sap.SapDiagnosis.Check.failed(name, "$metadata of " + settings.serviceUrl()
            + " answered HTTP " + metadata.status() + (metadata.ok() ? " without the entity set A_SalesOrder" : ""),
            "activate API_SALES_ORDER_SRV in /IWFND/MAINT_SERVICE next to API_BUSINESS_PARTNER, or leave the "
                + "salesorder actions out of policy.actions");
      }
      ODataClient.Reply read = client.get(client.url(ORDERS).addQueryParameter("$top", "1")
          .addQueryParameter("$select", "SalesOrder").build());
      return read.ok() ? io.ferry.agent.sap.SapDiagnosis.Check.passed(name)
          : io.ferry.agent.sap.SapDiagnosis.Check.failed(name, "reading A_SalesOrder answered HTTP " + read.status(),
              "give the user a role for API_SALES_ORDER_SRV");
    } catch (IOException | SapException e) {
      return io.ferry.agent.sap.SapDiagnosis.Check.failed(name, e.getMessage(),
          "check that " + settings.serviceUrl() + " is reachable and allowed by policy.odata.paths");
    }
  }

  void close() {
    client.close();
  }
}
