package io.ferry.odatapeer;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import org.apache.olingo.odata2.api.commons.HttpStatusCodes;
import org.apache.olingo.odata2.api.ep.entry.ODataEntry;
import org.apache.olingo.odata2.api.ep.feed.ODataFeed;

/**
 * A create of {@code A_SalesOrder} with its items ({@code to_Item}, deep insert), as S/4HANA's sales-order API
 * behaves: the order type and sales area must exist, the sold-to party must be a customer in that sales area and
 * without an order block, each item's material must be sold there and delivered from its {@code ProductionPlant};
 * then the order gets the next number of its range, items are numbered 10, 20 … unless given, and each is priced
 * from the peer's condition table (the same materials and prices as the JCo simulator's). All or nothing: a refused
 * order stores nothing and uses no number.
 */
final class SalesOrderInsert {

  /** A material as sales sees it: text, unit, delivering plants, price per unit in EUR. */
  private record Material(String text, String unit, Set<String> plants, BigDecimal price) {}

  private static final Map<String, Material> MATERIALS = Map.of(
      "FERRY-100", new Material("Ferry demo widget", "PC", Set.of("1000"), new BigDecimal("99.90")),
      "FERRY-200", new Material("Ferry demo cable, 2 m", "PC", Set.of("1000", "1100"), new BigDecimal("24.50")),
      "FERRY-300", new Material("Ferry service hour", "H", Set.of("1000"), new BigDecimal("120.00")));
  private static final String CURRENCY = "EUR";
  private static final Set<String> ORDER_TYPES = Set.of("OR", "TA");
  static final long FIRST_NUMBER = 5_000_000L;

  private final Store store;
  private final List<SapError.Detail> problems = new ArrayList<>();

  SalesOrderInsert(Store store) {
    this.store = store;
  }

  DeepInsert.Result create(ODataEntry entry) throws SapError {
    Map<String, Object> header = new LinkedHashMap<>();
    List<ODataEntry> itemEntries = List.of();
    for (Map.Entry<String, Object> p : entry.getProperties().entrySet()) {
      if (p.getKey().equals("to_Item") && p.getValue() instanceof ODataFeed feed) {
        itemEntries = feed.getEntries();
      } else if (p.getValue() instanceof ODataFeed || p.getValue() instanceof ODataEntry) {
        problems.add(SapError.Detail.error("ZFERRY_PEER/501", "The peer does not store " + p.getKey()
            + " of A_SalesOrder; leave it out", "A_SalesOrder/" + p.getKey()));
      } else {
        header.put(p.getKey(), p.getValue());
      }
    }
    header = store.alpha().input(header);
    String type = text(header, "SalesOrderType").toUpperCase(Locale.ROOT);
    if (!ORDER_TYPES.contains(type)) {
      problems.add(SapError.Detail.error("V1/412", "Sales document type " + type + " is not defined",
          "A_SalesOrder/SalesOrderType"));
    }
    String area = text(header, "SalesOrganization") + "/" + text(header, "DistributionChannel") + "/"
        + text(header, "OrganizationDivision");
    boolean areaKnown = Checks.SALES_AREAS.contains(area);
    if (!areaKnown) {
      problems.add(SapError.Detail.error("CZ/115", "Sales area " + area.replace('/', ' ') + " does not exist",
          "A_SalesOrder/SalesOrganization"));
    }
    String soldTo = text(header, "SoldToParty");
    if (soldTo.isEmpty()) {
      problems.add(SapError.Detail.error("V1/382", "Enter a sold-to party", "A_SalesOrder/SoldToParty"));
    } else if (areaKnown && store.where("A_CustomerSalesArea", Map.of("Customer", soldTo, "SalesOrganization",
        text(header, "SalesOrganization"), "DistributionChannel", text(header, "DistributionChannel"), "Division",
        text(header, "OrganizationDivision"))).isEmpty()) {
      problems.add(SapError.Detail.error("VP/206", "Partner not maintained (sold-to party "
          + store.alpha().output("SoldToParty", soldTo) + ")", "A_SalesOrder/SoldToParty"));
    } else if (orderBlocked(soldTo)) {
      problems.add(SapError.Detail.error("V1/462", "Sold-to party " + store.alpha().output("SoldToParty", soldTo)
          + " is blocked for sales orders", "A_SalesOrder/SoldToParty"));
    }
    if (itemEntries.isEmpty()) {
      problems.add(SapError.Detail.error("V1/761", "The sales document has no items", "A_SalesOrder/to_Item"));
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < itemEntries.size(); i++) {
      items.add(item(itemEntries.get(i).getProperties(), i, text(header, "SalesOrganization")));
    }
    if (!problems.isEmpty()) {
      throw new SapError(HttpStatusCodes.BAD_REQUEST, problems);
    }
    String number = store.alpha().stored(nextNumber());
    BigDecimal total = BigDecimal.ZERO;
    for (Map<String, Object> item : items) {
      item.put("SalesOrder", number);
      total = total.add((BigDecimal) item.get("NetAmount"));
    }
    header.put("SalesOrder", number);
    header.put("SalesOrderType", type);
    header.put("TransactionCurrency", CURRENCY);
    header.put("TotalNetAmount", total.setScale(3, RoundingMode.UNNECESSARY));
    Calendar now = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    header.put("CreationDate", now);
    header.put("LastChangeDateTime", now);
    header.put("OverallSDProcessStatus", "A");
    Store.Row row = store.insert("A_SalesOrder", header);
    items.forEach(item -> store.insert("A_SalesOrderItem", item));
    String shown = (String) store.alpha().output("SalesOrder", number);
    return new DeepInsert.Result(row, List.of(new SapError.Detail("V1/311", "Standard Order " + shown
        + " has been saved", "", "success")));
  }

  private Map<String, Object> item(Map<String, Object> sent, int index, String salesOrganization) {
    String target = "A_SalesOrder/to_Item(" + index + ")";
    Map<String, Object> item = new LinkedHashMap<>();
    sent.forEach((k, v) -> {
      if (!(v instanceof ODataFeed) && !(v instanceof ODataEntry)) {
        item.put(k, v);
      }
    });
    String number = text(item, "SalesOrderItem");
    item.put("SalesOrderItem", number.isEmpty() ? Integer.toString((index + 1) * 10) : number);
    String materialNumber = text(item, "Material").toUpperCase(Locale.ROOT);
    Material material = MATERIALS.get(materialNumber);
    String plant = text(item, "ProductionPlant");
    BigDecimal quantity = item.get("RequestedQuantity") instanceof BigDecimal q ? q : null;
    if (material == null || !"1000".equals(salesOrganization)) {
      problems.add(SapError.Detail.error("V1/392", "Material " + materialNumber + " is not defined for sales org."
          + salesOrganization + ", distr.chan.10, language EN", target + "/Material"));
      return item;
    }
    if (plant.isEmpty()) {
      plant = material.plants().stream().sorted().findFirst().orElseThrow();
    } else if (!material.plants().contains(plant)) {
      problems.add(SapError.Detail.error("V1/393", "Material " + materialNumber + " is not maintained in plant "
          + plant, target + "/ProductionPlant"));
      return item;
    }
    if (quantity == null || quantity.signum() <= 0) {
      problems.add(SapError.Detail.error("V1/374", "Item " + item.get("SalesOrderItem") + ": enter an order quantity",
          target + "/RequestedQuantity"));
      return item;
    }
    item.put("Material", materialNumber);
    item.put("ProductionPlant", plant);
    item.put("SalesOrderItemText", material.text());
    if (text(item, "RequestedQuantityUnit").isEmpty()) {
      item.put("RequestedQuantityUnit", material.unit());
    }
    item.put("TransactionCurrency", CURRENCY);
    item.put("NetAmount", material.price().multiply(quantity).setScale(2, RoundingMode.HALF_UP).setScale(3));
    return item;
  }

  /** The next number of the order range: one past the highest order stored, from {@link #FIRST_NUMBER}. */
  private long nextNumber() {
    long next = FIRST_NUMBER;
    for (Store.Row r : store.all("A_SalesOrder")) {
      String n = String.valueOf(r.data.get("SalesOrder"));
      if (n.matches("\\d+")) {
        next = Math.max(next, Long.parseLong(n) + 1);
      }
    }
    return next;
  }

  /** Whether the customer carries an order block ({@code A_Customer.OrderIsBlockedForCustomer} set). */
  private boolean orderBlocked(String customer) {
    return store.find("A_Customer", Map.of("Customer", customer))
        .map(r -> r.data.get("OrderIsBlockedForCustomer"))
        .map(v -> v != null && !String.valueOf(v).isBlank())
        .orElse(false);
  }

  private static String text(Map<String, Object> data, String property) {
    Object v = data.get(property);
    return v == null ? "" : String.valueOf(v).strip();
  }
}
