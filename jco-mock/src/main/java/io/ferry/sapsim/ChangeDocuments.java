package io.ferry.sapsim;

import io.ferry.sapsim.CustomerMaster.CompanyData;
import io.ferry.sapsim.CustomerMaster.SalesData;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The change documents of object class {@code DEBI} (customer master) as SAP's update task writes them
 * to CDHDR and CDPOS: one header per committed create or change, with one position per changed field of
 * KNA1, KNVV and KNB1 (a create: one {@code KEY} position per inserted row). Change numbers come from a
 * number range of ten digits. Keys are kept without the client; RFC_READ_TABLE puts the logon client in
 * front, as it does for MANDT of every table the simulator has.
 */
final class ChangeDocuments {

  static final String OBJECT_CLASS = "DEBI";
  static final long FIRST_CHANGE_NUMBER = 1L;
  private static final DateTimeFormatter DATS = DateTimeFormatter.BASIC_ISO_DATE;
  private static final DateTimeFormatter TIMS = DateTimeFormatter.ofPattern("HHmmss");

  /** A CDPOS row; {@code tabkey} without the client. */
  record Position(String tabname, String tabkey, String fname, String chngind, String valueNew, String valueOld) {}

  /** A CDHDR row with its positions. */
  record Header(String changeNumber, String objectId, String user, String date, String time, String tcode,
      String changeInd, List<Position> positions) {}

  /** KNA1 columns a change document follows: those the simulator keeps, except key and creation data. */
  private static final List<String> KNA1_FIELDS = List.of("LAND1", "NAME1", "NAME2", "ORT01", "PSTLZ", "REGIO",
      "SORTL", "STRAS", "TELF1", "TELFX", "NAME3", "NAME4", "ORT02", "SPRAS", "KTOKD");

  private final List<Header> headers = new ArrayList<>();
  private long nextNumber = FIRST_CHANGE_NUMBER;

  void clear() {
    headers.clear();
    nextNumber = FIRST_CHANGE_NUMBER;
  }

  List<Header> headers() {
    return List.copyOf(headers);
  }

  long nextNumber() {
    return nextNumber;
  }

  void restore(List<Header> saved, long next) {
    headers.clear();
    headers.addAll(saved);
    nextNumber = next;
  }

  /** The document of a create: CHANGE_IND I, a KEY position for the KNA1 row and each KNVV and KNB1 row. */
  Header created(CustomerMaster c, String user, String tcode, Clock clock) {
    List<Position> positions = new ArrayList<>();
    positions.add(new Position("KNA1", c.kunnr, "KEY", "I", "", ""));
    c.sales.keySet().forEach(area -> positions.add(new Position("KNVV", knvvKey(c.kunnr, area), "KEY", "I", "", "")));
    c.companies.keySet().forEach(code -> positions.add(new Position("KNB1", c.kunnr + code, "KEY", "I", "", "")));
    return write(c.kunnr, user, tcode, "I", positions, clock);
  }

  /**
   * The document of a change, or null when nothing SAP logs under DEBI changed (SAP writes no empty
   * document). {@code blockedBefore}/{@code blockedAfter} are KNA1-AUFSD, which the system keeps apart.
   */
  Header changed(CustomerMaster before, CustomerMaster after, String aufsdBefore, String aufsdAfter, String user,
      String tcode, Clock clock) {
    List<Position> positions = diff(before, after);
    if (!Objects.equals(aufsdBefore, aufsdAfter)) {
      positions.add(new Position("KNA1", after.kunnr, "AUFSD", "U", aufsdAfter, aufsdBefore));
    }
    if (positions.isEmpty()) {
      return null;
    }
    return write(after.kunnr, user, tcode, "U", positions, clock);
  }

  private Header write(String kunnr, String user, String tcode, String ind, List<Position> positions, Clock clock) {
    // SAP's system time: the simulated system runs in UTC, whatever zone the clock carries.
    LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    Header h = new Header(String.format("%010d", nextNumber++), kunnr, user, DATS.format(now), TIMS.format(now),
        tcode, ind, List.copyOf(positions));
    headers.add(h);
    return h;
  }

  static List<Position> diff(CustomerMaster before, CustomerMaster after) {
    List<Position> out = new ArrayList<>();
    for (String field : KNA1_FIELDS) {
      Function<CustomerMaster, String> read = ListCustomers.KNA1.get(field);
      String old = read.apply(before);
      String now = read.apply(after);
      if (!old.equals(now)) {
        out.add(new Position("KNA1", after.kunnr, field, "U", now, old));
      }
    }
    Set<SalesAreaKey> areas = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
    areas.addAll(before.sales.keySet());
    areas.addAll(after.sales.keySet());
    for (SalesAreaKey area : areas) {
      SalesData o = before.sales.get(area);
      SalesData n = after.sales.get(area);
      String key = knvvKey(after.kunnr, area);
      if (o == null) {
        out.add(new Position("KNVV", key, "KEY", "I", "", ""));
      } else if (n != null) {
        field(out, "KNVV", key, "WAERS", o.currency(), n.currency());
        field(out, "KNVV", key, "ZTERM", o.paymentTerms(), n.paymentTerms());
      }
    }
    for (Map.Entry<String, CompanyData> e : after.companies.entrySet()) {
      CompanyData o = before.companies.get(e.getKey());
      String key = after.kunnr + e.getKey();
      if (o == null) {
        out.add(new Position("KNB1", key, "KEY", "I", "", ""));
      } else {
        field(out, "KNB1", key, "AKONT", o.reconciliationAccount(), e.getValue().reconciliationAccount());
        field(out, "KNB1", key, "ZTERM", o.paymentTerms(), e.getValue().paymentTerms());
      }
    }
    return out;
  }

  private static void field(List<Position> out, String table, String key, String field, String old, String now) {
    String o = old == null ? "" : old;
    String n = now == null ? "" : now;
    if (!o.equals(n)) {
      out.add(new Position(table, key, field, "U", n, o));
    }
  }

  /** KNVV's key after the client: KUNNR, VKORG (4), VTWEG (2), SPART (2), each at its width. */
  static String knvvKey(String kunnr, SalesAreaKey area) {
    return kunnr + pad(area.salesOrg(), 4) + pad(area.distrChannel(), 2) + pad(area.division(), 2);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
