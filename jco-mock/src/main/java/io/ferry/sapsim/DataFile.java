package io.ferry.sapsim;

import io.ferry.sapsim.CustomerMaster.Attr;
import io.ferry.sapsim.CustomerMaster.CompanyData;
import io.ferry.sapsim.CustomerMaster.SalesData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated system's data file ({@code jco.mock.data_file}): the customer master, the sales
 * areas and the number range position as JSON. Written whole after each commit to a temporary file
 * in the same folder, forced to disk and renamed over the old one, so a crash leaves either the old
 * or the new file, never half of one.
 */
final class DataFile {

  static final String FORMAT = "ferry-sap-simulator/1";

  /** What the file holds. */
  record State(Map<String, CustomerMaster> customers, Map<SalesAreaKey, String> companyCodeBySalesArea,
      long nextCustomerNumber, Map<String, SalesDocument> orders, java.util.Set<String> orderBlocks,
      long nextOrderNumber, List<ChangeDocuments.Header> changeDocuments, long nextChangeNumber) {}

  private DataFile() {}

  static State read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return fromJson(SimJson.parse(text));
    } catch (RuntimeException e) {
      throw new IOException("The SAP simulator's data file " + file + " is not one it wrote: " + e.getMessage(), e);
    }
  }

  static void write(Path file, State state) throws IOException {
    byte[] bytes = SimJson.write(toJson(state)).getBytes(StandardCharsets.UTF_8);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString() + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      forceDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Makes the rename durable where the platform lets a folder be forced (not on Windows). */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // The file itself is on disk; only the rename's durability is left to the file system.
    }
  }

  private static Map<String, Object> toJson(State state) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("nextCustomerNumber", state.nextCustomerNumber());
    List<Object> areas = new ArrayList<>();
    state.companyCodeBySalesArea().entrySet().stream()
        .sorted(Map.Entry.comparingByKey((a, b) -> a.toString().compareTo(b.toString())))
        .forEach(e -> {
          Map<String, Object> a = area(e.getKey());
          a.put("companyCode", e.getValue());
          areas.add(a);
        });
    root.put("salesAreas", areas);
    List<Object> customers = new ArrayList<>();
    for (CustomerMaster c : new TreeMap<>(state.customers()).values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("number", c.kunnr);
      m.put("accountGroup", c.accountGroup == null ? "" : c.accountGroup);
      m.put("person", c.person);
      m.put("createdOn", c.createdOn);
      m.put("createdBy", c.createdBy);
      Map<String, Object> general = new LinkedHashMap<>();
      c.general.forEach((k, v) -> general.put(k.name(), v));
      m.put("general", general);
      List<Object> sales = new ArrayList<>();
      c.sales.forEach((area, s) -> {
        Map<String, Object> a = area(area);
        a.put("currency", nullToBlank(s.currency()));
        a.put("paymentTerms", nullToBlank(s.paymentTerms()));
        sales.add(a);
      });
      m.put("sales", sales);
      List<Object> companies = new ArrayList<>();
      c.companies.forEach((code, k) -> {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("companyCode", code);
        a.put("reconciliationAccount", nullToBlank(k.reconciliationAccount()));
        a.put("paymentTerms", nullToBlank(k.paymentTerms()));
        companies.add(a);
      });
      m.put("companies", companies);
      customers.add(m);
    }
    root.put("customers", customers);
    root.put("nextOrderNumber", state.nextOrderNumber());
    root.put("orderBlocks", new ArrayList<Object>(state.orderBlocks()));
    List<Object> orders = new ArrayList<>();
    for (SalesDocument o : state.orders().values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("number", o.number());
      m.put("docType", o.docType());
      m.put("area", area(o.area()));
      m.put("soldTo", o.soldTo());
      m.put("purchNo", o.purchNo());
      m.put("requestedDate", o.requestedDate());
      m.put("currency", o.currency());
      m.put("netValue", o.netValue().toPlainString());
      m.put("createdBy", o.createdBy());
      m.put("createdOn", o.createdOn());
      List<Object> lines = new ArrayList<>();
      for (SalesDocument.Line l : o.lines()) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("item", l.item());
        line.put("material", l.material());
        line.put("quantity", l.quantity().toPlainString());
        line.put("unit", l.unit());
        line.put("plant", l.plant());
        line.put("netPrice", l.netPrice().toPlainString());
        line.put("netValue", l.netValue().toPlainString());
        line.put("text", l.text());
        lines.add(line);
      }
      m.put("lines", lines);
      orders.add(m);
    }
    root.put("orders", orders);
    root.put("nextChangeNumber", state.nextChangeNumber());
    List<Object> docs = new ArrayList<>();
    for (ChangeDocuments.Header h : state.changeDocuments()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("changeNumber", h.changeNumber());
      m.put("objectId", h.objectId());
      m.put("user", h.user());
      m.put("date", h.date());
      m.put("time", h.time());
      m.put("tcode", h.tcode());
      m.put("changeInd", h.changeInd());
      List<Object> positions = new ArrayList<>();
      for (ChangeDocuments.Position p : h.positions()) {
        Map<String, Object> pos = new LinkedHashMap<>();
        pos.put("table", p.tabname());
        pos.put("key", p.tabkey());
        pos.put("field", p.fname());
        pos.put("changeInd", p.chngind());
        pos.put("new", p.valueNew());
        pos.put("old", p.valueOld());
        positions.add(pos);
      }
      m.put("positions", positions);
      docs.add(m);
    }
    root.put("changeDocuments", docs);
    return root;
  }

  private static Map<String, Object> area(SalesAreaKey key) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("salesOrg", key.salesOrg());
    a.put("distrChannel", key.distrChannel());
    a.put("division", key.division());
    return a;
  }

  @SuppressWarnings("unchecked")
  private static State fromJson(Object json) {
    Map<String, Object> root = (Map<String, Object>) json;
    if (!FORMAT.equals(root.get("format"))) {
      throw new IllegalArgumentException("format is " + root.get("format") + ", expected " + FORMAT);
    }
    long next = (Long) root.get("nextCustomerNumber");
    Map<SalesAreaKey, String> areas = new LinkedHashMap<>();
    for (Object o : (List<Object>) root.get("salesAreas")) {
      Map<String, Object> a = (Map<String, Object>) o;
      areas.put(areaOf(a), (String) a.get("companyCode"));
    }
    Map<String, CustomerMaster> customers = new TreeMap<>();
    for (Object o : (List<Object>) root.get("customers")) {
      Map<String, Object> m = (Map<String, Object>) o;
      CustomerMaster c = new CustomerMaster((String) m.get("number"));
      c.accountGroup = (String) m.get("accountGroup");
      c.person = Boolean.TRUE.equals(m.get("person"));
      // Files written before the creation date was kept have none.
      c.createdOn = m.get("createdOn") instanceof String on ? on : "";
      c.createdBy = m.get("createdBy") instanceof String by ? by : "";
      ((Map<String, Object>) m.get("general")).forEach((k, v) -> c.set(Attr.valueOf(k), (String) v));
      for (Object s : (List<Object>) m.get("sales")) {
        Map<String, Object> a = (Map<String, Object>) s;
        c.sales.put(areaOf(a), new SalesData((String) a.get("currency"), (String) a.get("paymentTerms")));
      }
      for (Object k : (List<Object>) m.get("companies")) {
        Map<String, Object> a = (Map<String, Object>) k;
        c.companies.put((String) a.get("companyCode"),
            new CompanyData((String) a.get("reconciliationAccount"), (String) a.get("paymentTerms")));
      }
      customers.put(c.kunnr, c);
    }
    // Files written before sales orders existed have none of these: an empty order book.
    long nextOrder = root.get("nextOrderNumber") instanceof Long n ? n : SapSystem.FIRST_ORDER_NUMBER;
    java.util.Set<String> blocks = new java.util.TreeSet<>();
    for (Object o : (List<Object>) root.getOrDefault("orderBlocks", List.of())) {
      blocks.add((String) o);
    }
    Map<String, SalesDocument> orders = new TreeMap<>();
    for (Object o : (List<Object>) root.getOrDefault("orders", List.of())) {
      Map<String, Object> m = (Map<String, Object>) o;
      List<SalesDocument.Line> lines = new ArrayList<>();
      for (Object l : (List<Object>) m.get("lines")) {
        Map<String, Object> line = (Map<String, Object>) l;
        lines.add(new SalesDocument.Line((String) line.get("item"), (String) line.get("material"),
            new java.math.BigDecimal((String) line.get("quantity")), (String) line.get("unit"),
            (String) line.get("plant"), new java.math.BigDecimal((String) line.get("netPrice")),
            new java.math.BigDecimal((String) line.get("netValue")), (String) line.get("text")));
      }
      SalesDocument doc = new SalesDocument((String) m.get("number"), (String) m.get("docType"),
          areaOf((Map<String, Object>) m.get("area")), (String) m.get("soldTo"), (String) m.get("purchNo"),
          (String) m.get("requestedDate"), (String) m.get("currency"), new java.math.BigDecimal((String) m.get("netValue")),
          lines, (String) m.get("createdBy"), (String) m.get("createdOn"));
      orders.put(doc.number(), doc);
    }
    // Files written before change documents were kept have none: the range starts at its beginning.
    long nextChange = root.get("nextChangeNumber") instanceof Long n ? n : ChangeDocuments.FIRST_CHANGE_NUMBER;
    List<ChangeDocuments.Header> docs = new ArrayList<>();
    for (Object o : (List<Object>) root.getOrDefault("changeDocuments", List.of())) {
      Map<String, Object> m = (Map<String, Object>) o;
      List<ChangeDocuments.Position> positions = new ArrayList<>();
      for (Object p : (List<Object>) m.get("positions")) {
        Map<String, Object> pos = (Map<String, Object>) p;
        positions.add(new ChangeDocuments.Position((String) pos.get("table"), (String) pos.get("key"),
            (String) pos.get("field"), (String) pos.get("changeInd"), (String) pos.get("new"), (String) pos.get("old")));
      }
      docs.add(new ChangeDocuments.Header((String) m.get("changeNumber"), (String) m.get("objectId"),
          (String) m.get("user"), (String) m.get("date"), (String) m.get("time"), (String) m.get("tcode"),
          (String) m.get("changeInd"), List.copyOf(positions)));
    }
    return new State(customers, areas, next, orders, blocks, nextOrder, docs, nextChange);
  }

  private static SalesAreaKey areaOf(Map<String, Object> a) {
    return new SalesAreaKey((String) a.get("salesOrg"), (String) a.get("distrChannel"), (String) a.get("division"));
  }

  private static String nullToBlank(String s) {
    return s == null ? "" : s;
  }
}
