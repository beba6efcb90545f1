package io.ferry.sapsim;

import io.ferry.sapsim.CustomerMaster.Attr;
import io.ferry.sapsim.CustomerMaster.CompanyData;
import io.ferry.sapsim.CustomerMaster.SalesData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The test handle of a simulated SAP system. Destinations without {@code jco.mock.data_file} reach
 * the default in-memory system ({@link #instance()}); destinations naming a data file reach the
 * system kept in that file ({@link #forDataFile(Path)}), one per file. Tests reset a system, count
 * calls ("SAP was never called"), inject faults and look at committed customers; they never need it
 * to drive SAP, which goes through the JCo API as in production.
 */
public final class SapSimulator {

  /** How the simulator waits out a destination's {@code jco.mock.latency}; tests install their own. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** The real clock: {@link Thread#sleep(Duration)}. */
  public static final Sleeper REAL_SLEEPER = Thread::sleep;

  private static final SapSimulator INSTANCE = new SapSimulator(new SapSystem(null));
  private static final Map<Path, SapSimulator> BY_DATA_FILE = new ConcurrentHashMap<>();
  private static volatile Sleeper sleeper = REAL_SLEEPER;
  private static volatile Clock clock = Clock.systemUTC();

  /** The logon user of changes made "in SAP by someone else" ({@link #changeCustomerDirectly}, {@link #blockOrders}). */
  public static final String DIRECT_USER = "CLERK";

  /**
   * KNA1 fields {@link #changeCustomerDirectly} can set, each with how it lands in the customer master.
   * STRAS is street and house number in one field: it becomes the street, the house number is cleared.
   */
  private static final Map<String, BiConsumer<CustomerMaster, String>> KNA1_WRITERS = Map.ofEntries(
      Map.entry("NAME1", (c, v) -> c.set(Attr.NAME1, v)),
      Map.entry("NAME2", (c, v) -> c.set(Attr.NAME2, v)),
      Map.entry("NAME3", (c, v) -> c.set(Attr.NAME3, v)),
      Map.entry("NAME4", (c, v) -> c.set(Attr.NAME4, v)),
      Map.entry("SORTL", (c, v) -> c.set(Attr.SORTL, v)),
      Map.entry("STRAS", (c, v) -> {
        c.set(Attr.STREET, v);
        c.set(Attr.HOUSE_NO, "");
      }),
      Map.entry("PSTLZ", (c, v) -> c.set(Attr.POSTL_CODE, v)),
      Map.entry("ORT01", (c, v) -> c.set(Attr.CITY, v)),
      Map.entry("ORT02", (c, v) -> c.set(Attr.DISTRICT, v)),
      Map.entry("REGIO", (c, v) -> c.set(Attr.REGION, v)),
      Map.entry("LAND1", (c, v) -> c.set(Attr.COUNTRY, v)),
      Map.entry("SPRAS", (c, v) -> c.set(Attr.LANGUAGE, v)),
      Map.entry("TELF1", (c, v) -> c.set(Attr.PHONE, v)),
      Map.entry("TELFX", (c, v) -> c.set(Attr.FAX, v)));

  private final SapSystem system;

  private SapSimulator(SapSystem system) {
    this.system = system;
  }

  /** The default in-memory system, behind every destination without {@code jco.mock.data_file}. */
  public static SapSimulator instance() {
    return INSTANCE;
  }

  /**
   * The system kept in that data file: loaded from the file at first use (the seed when there is no
   * file yet), written back after each commit. Another file is another system.
   *
   * @throws UncheckedIOException when the file exists but cannot be read as the simulator's data
   */
  public static SapSimulator forDataFile(Path dataFile) {
    Path key = dataFile.toAbsolutePath().normalize();
    return BY_DATA_FILE.computeIfAbsent(key, k -> {
      try {
        return new SapSimulator(SapSystem.open(k));
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
    });
  }

  /**
   * Forgets the in-memory copy of that data file's system, as a restart of the process would: the
   * next use loads it from the file again. Sessions still open on it see nothing more of it.
   */
  public static void unload(Path dataFile) {
    BY_DATA_FILE.remove(dataFile.toAbsolutePath().normalize());
  }

  /** Latency is waited out with this sleeper from now on; returns the one it replaces. */
  public static Sleeper useSleeper(Sleeper s) {
    Sleeper previous = sleeper;
    sleeper = Objects.requireNonNull(s, "sleeper");
    return previous;
  }

  static Sleeper sleeper() {
    return sleeper;
  }

  /**
   * The simulated systems tell the time by this clock from now on (KNA1-ERDAT, VBAK-ERDAT, CDHDR-UDATE/UTIME);
   * returns the one it replaces. The systems run in UTC: the clock's instant is read in UTC, whatever zone
   * the clock carries.
   */
  public static Clock useClock(Clock c) {
    Clock previous = clock;
    clock = Objects.requireNonNull(c, "clock");
    return previous;
  }

  static Clock clock() {
    return clock;
  }

  /** How many connections of the destination are in use now (calls running, contexts holding one). */
  public static int connectionsInUse(String destinationName) {
    return JcoBridge.cached(destinationName).map(SimDestination::connectionsInUse).orElse(0);
  }

  /** Whether a caller waits for a free connection of the destination (its {@code peak_limit} reached). */
  public static boolean hasCallersWaitingForConnection(String destinationName) {
    return JcoBridge.cached(destinationName).map(SimDestination::hasCallersWaiting).orElse(false);
  }

  /** The data file this system is kept in, or empty for the in-memory default. */
  public Optional<Path> dataFile() {
    return Optional.ofNullable(system.dataFile());
  }

  SapSystem system() {
    return system;
  }

  /** Back to the seed data; clears counts, faults, locks and the number range (and rewrites a data file). */
  public void reset() {
    system.reset();
  }

  /** How often the function module was executed since the last reset. */
  public int callCount(String functionName) {
    return system.callCount(functionName);
  }

  /** How many function modules were executed since the last reset, all together. */
  public int totalCalls() {
    return system.totalCalls();
  }

  /**
   * The next {@code count} remote actions (function calls, pings, repository look-ups) fail with a
   * {@code JCoException} of the given group, for example {@code JCO_ERROR_COMMUNICATION}. A failure
   * inside a {@code JCoContext} also drops the session's uncommitted work, as a lost connection does.
   */
  public void failNextCalls(int count, int jcoErrorGroup) {
    system.failNextCalls(count, jcoErrorGroup);
  }

  /**
   * The next execution of that function module fails with a {@code JCoException} of the group,
   * before it runs (and is not counted). Inside a context the session's uncommitted work is lost.
   */
  public void failNextCallOf(String functionName, int jcoErrorGroup) {
    system.failNextCallOf(functionName, jcoErrorGroup);
  }

  /**
   * The next execution of that function module runs to its end — {@code BAPI_TRANSACTION_COMMIT} posts —
   * and then fails with a {@code JCoException} of the group, as a connection lost after SAP acted does:
   * the caller never learns that it did.
   */
  public void failAfterNextCallOf(String functionName, int jcoErrorGroup) {
    system.failAfterNextCallOf(functionName, jcoErrorGroup);
  }

  /** The next {@code BAPI_TRANSACTION_COMMIT} answers {@code E S& 101} and posts nothing. */
  public void failNextCommit() {
    system.failNextCommit();
  }

  public boolean customerExists(String customerNumber) {
    return system.snapshot(customerNumber).isPresent();
  }

  /**
   * The committed customer as flat fields: {@code KUNNR}, {@code KTOKD}, the general data by KNA1
   * meaning ({@code NAME1}, {@code CITY}, {@code LANGUAGE}, ...), and {@code KNVV[1000/10/00].WAERS},
   * {@code KNVV[...].ZTERM}, {@code KNB1[1000].AKONT}, {@code KNB1[1000].ZTERM}.
   */
  public Optional<Map<String, String>> customer(String customerNumber) {
    return system.snapshot(customerNumber).map(c -> {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("KUNNR", c.kunnr);
      m.put("KTOKD", c.accountGroup);
      c.general.forEach((k, v) -> m.put(k.name(), v));
      c.sales.forEach((area, s) -> {
        m.put("KNVV[" + area + "].WAERS", s.currency());
        m.put("KNVV[" + area + "].ZTERM", s.paymentTerms());
      });
      c.companies.forEach((code, k) -> {
        m.put("KNB1[" + code + "].AKONT", k.reconciliationAccount());
        m.put("KNB1[" + code + "].ZTERM", k.paymentTerms());
      });
      return m;
    });
  }

  /**
   * The logon user of the session that holds the customer's lock (enqueue EXKNA1): a session that
   * has a create or change of the customer pending holds it until it commits, rolls back or ends.
   */
  public Optional<String> lockHolder(String customerNumber) {
    return system.lockHolder(customerNumber);
  }

  /** Defines a sales area and the company code its sales organisation belongs to. */
  public void addSalesArea(String salesOrg, String distrChannel, String division, String companyCode) {
    system.addSalesArea(new SalesAreaKey(salesOrg, distrChannel, division), companyCode);
  }

  /** Adds a committed reference customer in one sales area and company code. */
  public void seedReferenceCustomer(String customerNumber, String salesOrg, String distrChannel,
      String division, String companyCode, String accountGroup, String reconciliationAccount,
      String paymentTerms) {
    CustomerMaster c = new CustomerMaster(customerNumber);
    c.accountGroup = accountGroup;
    c.set(CustomerMaster.Attr.NAME1, "Reference customer " + customerNumber);
    c.sales.put(new SalesAreaKey(salesOrg, distrChannel, division), new SalesData("EUR", paymentTerms));
    c.companies.put(companyCode, new CompanyData(reconciliationAccount, paymentTerms));
    system.seed(c);
  }

  /**
   * A change made in SAP by someone else, as a clerk in XD02 would make it (user {@link #DIRECT_USER}): sets
   * the KNA1 fields given ({@code NAME1}–{@code NAME4}, {@code SORTL}, {@code STRAS}, {@code PSTLZ},
   * {@code ORT01}, {@code ORT02}, {@code REGIO}, {@code LAND1}, {@code SPRAS}, {@code TELF1}, {@code TELFX};
   * blank clears), posts it at once and writes its change document (CDHDR/CDPOS, TCODE XD02) at the clock's
   * time, and rewrites a data file. Returns the change number, or empty when no value changed.
   *
   * @throws IllegalArgumentException for an unknown customer or a field the simulator cannot set
   * @throws IllegalStateException while a session holds the customer's lock (XD02 could not enqueue it)
   */
  public Optional<String> changeCustomerDirectly(String customerNumber, Map<String, String> kna1Fields) {
    for (String field : kna1Fields.keySet()) {
      if (!KNA1_WRITERS.containsKey(field)) {
        throw new IllegalArgumentException("The simulator cannot set KNA1-" + field + "; it sets " + new java.util.TreeSet<>(KNA1_WRITERS.keySet()));
      }
    }
    Map<String, String> fields = Map.copyOf(kna1Fields);
    return system.changeDirectly(ReadSalesOrders.alpha(customerNumber),
        c -> fields.forEach((k, v) -> KNA1_WRITERS.get(k).accept(c, v)), DIRECT_USER);
  }

  /** Sets the customer's order block (KNA1-AUFSD): every sales order for it is refused from now on. */
  public void blockOrders(String customerNumber) {
    system.blockOrders(ReadSalesOrders.alpha(customerNumber));
  }

  /** How many sales orders are committed: "the order was created once". */
  public int salesOrderCount() {
    return system.orderCount();
  }

  /**
   * A committed sales order's header as the database keeps it ({@code number}, {@code soldTo}, {@code purchNo},
   * {@code netValue}, {@code currency}, {@code items}), for assertions; empty when there is none.
   */
  public Optional<Map<String, String>> salesOrder(String number) {
    return system.orderSnapshot(ReadSalesOrders.alpha(number)).map(o -> Map.of(
        "number", o.number(), "soldTo", o.soldTo(), "purchNo", o.purchNo(), "netValue", o.netValue().toPlainString(),
        "currency", o.currency(), "items", Integer.toString(o.lines().size())));
  }
}
