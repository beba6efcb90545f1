package io.ferry.sapsim;

import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code BAPI_SALESORDER_CREATEFROMDAT2}: checks the header (order type, sales area), the sold-to party
 * ({@code ORDER_PARTNERS} role {@code AG}: it exists, is in the sales area, has no order block) and each item
 * (material known in the sales organisation and the plant, a quantity from {@code ORDER_SCHEDULES_IN-REQ_QTY} or
 * else {@code TARGET_QTY}), prices each item from {@link PriceList}, draws the order number and queues the order
 * until the session commits. Every error goes to {@code RETURN} followed by SAP's trailer V4 219 "Sales document
 * was not changed"; success answers V1 311 "… has been saved" and {@code SALESDOCUMENT}.
 */
final class CreateSalesOrder implements FunctionSpec.Handler {

  /** Order types the simulated system has: the English and the German code of the standard order. */
  private static final Map<String, String> ORDER_TYPES = Map.of("OR", "Standard Order", "TA", "Standard Order");
  private static final DateTimeFormatter DATS = DateTimeFormatter.BASIC_ISO_DATE;

  @Override
  public void handle(Call call) {
    JCoTable ret = call.tables().getTable("RETURN");
    JCoStructure header = call.importStructure("ORDER_HEADER_IN");
    List<Msg> errors = new ArrayList<>();
    String docType = header.getString("DOC_TYPE").strip().toUpperCase(Locale.ROOT);
    if (!ORDER_TYPES.containsKey(docType)) {
      errors.add(Msg.orderTypeUndefined(docType));
    }
    SalesAreaKey area = new SalesAreaKey(header.getString("SALES_ORG").strip(), header.getString("DISTR_CHAN").strip(),
        header.getString("DIVISION").strip());
    SapSystem sys = call.system();
    boolean areaKnown = sys.companyCodeOf(area).isPresent();
    if (!areaKnown) {
      errors.add(Msg.orderSalesAreaUndefined(area));
    }
    String soldTo = soldTo(call.tables().getTable("ORDER_PARTNERS"));
    if (soldTo == null) {
      errors.add(Msg.soldToMissing());
    } else {
      Optional<CustomerMaster> customer = sys.committed(soldTo);
      if (customer.isEmpty() || (areaKnown && !customer.get().sales.containsKey(area))) {
        errors.add(Msg.partnerNotMaintained(soldTo));
      } else if (sys.hasOrderBlock(soldTo)) {
        errors.add(Msg.orderBlocked(soldTo));
      }
    }
    List<SalesDocument.Line> lines = lines(call, area, errors);
    if (!errors.isEmpty()) {
      errors.forEach(m -> add(ret, m));
      add(ret, Msg.orderNotChanged());
      return;
    }
    // The condition table prices in one currency; a header currency names it (no conversion is simulated).
    String currency = header.getString("CURRENCY").isBlank()
        ? PriceList.material(lines.get(0).material()).orElseThrow().currency() : header.getString("CURRENCY").strip();
    BigDecimal net = lines.stream().map(SalesDocument.Line::netValue).reduce(BigDecimal.ZERO, BigDecimal::add);
    String requested = header.getString("REQ_DATE_H");
    SalesDocument order = new SalesDocument(sys.drawOrderNumber(), docType, area, soldTo,
        header.getString("PURCH_NO_C").strip(), requested.startsWith("0000") ? "" : requested, currency, net, lines,
        call.session().user(), LocalDate.now(SapSimulator.clock().withZone(ZoneOffset.UTC)).format(DATS));
    call.session().queue(system -> system.storeOrder(order));
    call.exports().setValue("SALESDOCUMENT", order.number());
    add(ret, Msg.orderSaved(ORDER_TYPES.get(docType), order.number().replaceFirst("^0+(?=.)", "")));
  }

  /** The sold-to party of the header: partner function AG (SP, its English code, is taken too), ALPHA-padded. */
  private static String soldTo(JCoTable partners) {
    for (int i = 0; i < partners.getNumRows(); i++) {
      partners.setRow(i);
      String role = partners.getString("PARTN_ROLE").strip().toUpperCase(Locale.ROOT);
      String item = partners.getString("ITM_NUMBER").replace("0", "");
      if ((role.equals("AG") || role.equals("SP")) && item.isEmpty()) {
        String number = partners.getString("PARTN_NUMB").strip();
        return number.matches("[0-9]+") ? String.format("%10s", number).replace(' ', '0') : number;
      }
    }
    return null;
  }

  private static List<SalesDocument.Line> lines(Call call, SalesAreaKey area, List<Msg> errors) {
    JCoTable items = call.tables().getTable("ORDER_ITEMS_IN");
    if (items.getNumRows() == 0) {
      errors.add(Msg.noItems());
      return List.of();
    }
    Map<String, BigDecimal> scheduled = new HashMap<>();
    JCoTable schedules = call.tables().getTable("ORDER_SCHEDULES_IN");
    for (int i = 0; i < schedules.getNumRows(); i++) {
      schedules.setRow(i);
      scheduled.merge(schedules.getString("ITM_NUMBER"), schedules.getBigDecimal("REQ_QTY"), BigDecimal::add);
    }
    List<SalesDocument.Line> lines = new ArrayList<>();
    for (int i = 0; i < items.getNumRows(); i++) {
      items.setRow(i);
      String given = items.getString("ITM_NUMBER");
      String item = given.replace("0", "").isEmpty() ? String.format("%06d", (i + 1) * 10) : given;
      String material = items.getString("MATERIAL_LONG").isBlank() ? items.getString("MATERIAL").strip()
          : items.getString("MATERIAL_LONG").strip();
      BigDecimal quantity = scheduled.getOrDefault(given, items.getBigDecimal("TARGET_QTY"));
      Optional<PriceList.Material> m = PriceList.material(material);
      String plant = items.getString("PLANT").strip();
      if (m.isEmpty() || !m.get().salesOrg().equals(area.salesOrg())) {
        errors.add(Msg.materialNotInSalesOrg(material, area));
        continue;
      }
      if (plant.isEmpty()) {
        plant = m.get().plants().stream().sorted().findFirst().orElseThrow();
      } else if (!m.get().plants().contains(plant)) {
        errors.add(Msg.materialNotInPlant(material, plant));
        continue;
      }
      if (quantity == null || quantity.signum() <= 0) {
        errors.add(Msg.quantityMissing(item.replaceFirst("^0+", "")));
        continue;
      }
      String unit = items.getString("TARGET_QU").isBlank() ? m.get().unit() : items.getString("TARGET_QU").strip();
      lines.add(new SalesDocument.Line(item, m.get().number(), quantity, unit, plant, m.get().price(),
          PriceList.netValue(m.get(), quantity), m.get().text()));
    }
    return lines;
  }

  static void add(JCoTable ret, Msg m) {
    ret.appendRow();
    m.writeTo(ret);
  }
}
