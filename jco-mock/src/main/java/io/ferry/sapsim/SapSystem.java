package io.ferry.sapsim;

import com.sap.conn.jco.JCoException;
import io.ferry.sapsim.CustomerMaster.Attr;
import io.ferry.sapsim.CustomerMaster.CompanyData;
import io.ferry.sapsim.CustomerMaster.SalesData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The simulated SAP system: organisational data, the committed customer master, the customer
 * number range, the lock table, per-function call counts and injected faults. One lock guards it
 * all; every function module runs under it, so concurrent callers see SAP-like serialised postings.
 * With a data file, the customer master, sales areas and number range live in that file too.
 */
final class SapSystem {

  static final String SYSTEM_ID = "FRY";
  static final long FIRST_CUSTOMER_NUMBER = 100001L;
  /** The first number of the sales-order number range (internal numbering, as SAP's standard range 01). */
  static final long FIRST_ORDER_NUMBER = 5000000L;

  private final Path dataFile;
  private final Map<String, CustomerMaster> customers = new TreeMap<>();
  private final Map<String, SalesDocument> orders = new TreeMap<>();
  /** Customers with an order block (KNA1-AUFSD set): no sales order may be created for them. */
  private final java.util.Set<String> orderBlocks = new java.util.TreeSet<>();
  private long nextOrderNumber;
  private final Map<SalesAreaKey, String> companyCodeBySalesArea = new HashMap<>();
  /** T001: the company codes, by code. */
  private final Map<String, CompanyCode> companyCodes = new TreeMap<>();
  private final Map<String, Integer> calls = new HashMap<>();
  /** The lock table: customer number to the session holding its EXKNA1 lock. */
  private final Map<String, Session> locks = new HashMap<>();
  private long nextCustomerNumber;
  private int faultsLeft;
  private int faultGroup;
  private String faultFunction;
  private int functionFaultGroup;
  private String faultAfterFunction;
  private int faultAfterGroup;
  private boolean failNextCommit;
  /** CDHDR/CDPOS of object class DEBI: every committed create and change of a customer. */
  private final ChangeDocuments changeDocuments = new ChangeDocuments();

  /** A system in memory only (dataFile null), or one whose seed is written to its data file by reset. */
  SapSystem(Path dataFile) {
    this.dataFile = dataFile;
    seed();
  }

  /** The system kept in that file: as the file says, or the seed when there is no file yet. */
  static SapSystem open(Path dataFile) throws IOException {
    SapSystem s = new SapSystem(dataFile);
    if (Files.exists(dataFile)) {
      s.apply(DataFile.read(dataFile));
    }
    return s;
  }

  Path dataFile() {
    return dataFile;
  }

  /** Back to the seed: see jco-mock/README.md. A data file is rewritten with the seed. */
  synchronized void reset() {
    seed();
    if (dataFile != null) {
      try {
        DataFile.write(dataFile, state());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write the SAP simulator's data file " + dataFile, e);
      }
    }
  }

  private void seed() {
    customers.clear();
    orders.clear();
    orderBlocks.clear();
    nextOrderNumber = FIRST_ORDER_NUMBER;
    locks.clear();
    companyCodeBySalesArea.clear();
    calls.clear();
    nextCustomerNumber = FIRST_CUSTOMER_NUMBER;
    faultsLeft = 0;
    faultFunction = null;
    faultAfterFunction = null;
    failNextCommit = false;
    changeDocuments.clear();
    companyCodes.clear();
    companyCodes.put("1000", new CompanyCode("1000", "Ferry Demo AG", "Walldorf", "DE", "EUR", "D"));
    companyCodes.put("2000", new CompanyCode("2000", "Ferry Demo Ltd", "London", "GB", "GBP", "E"));
    SalesAreaKey area = new SalesAreaKey("1000", "10", "00");
    companyCodeBySalesArea.put(area, "1000");
    CustomerMaster ref = new CustomerMaster("0000001000");
    ref.accountGroup = "KUNA";
    ref.createdOn = "20240102";
    ref.createdBy = "FERRY";
    ref.set(Attr.NAME1, "Reference customer domestic");
    ref.set(Attr.STREET, "Dietmar-Hopp-Allee");
    ref.set(Attr.HOUSE_NO, "16");
    ref.set(Attr.POSTL_CODE, "69190");
    ref.set(Attr.CITY, "Walldorf");
    ref.set(Attr.COUNTRY, "DE");
    ref.set(Attr.LANGUAGE, "D");
    ref.set(Attr.SORTL, "REFERENCE");
    ref.sales.put(area, new SalesData("EUR", "0001"));
    ref.companies.put("1000", new CompanyData("0000140000", "0001"));
    customers.put(ref.kunnr, ref);
  }

  private DataFile.State state() {
    Map<String, CustomerMaster> copy = new TreeMap<>();
    customers.forEach((k, c) -> copy.put(k, c.copy()));
    return new DataFile.State(copy, new HashMap<>(companyCodeBySalesArea), nextCustomerNumber, new TreeMap<>(orders),
        new java.util.TreeSet<>(orderBlocks), nextOrderNumber, changeDocuments.headers(), changeDocuments.nextNumber());
  }

  private void apply(DataFile.State state) {
    customers.clear();
    state.customers().forEach((k, c) -> customers.put(k, c.copy()));
    companyCodeBySalesArea.clear();
    companyCodeBySalesArea.putAll(state.companyCodeBySalesArea());
    nextCustomerNumber = state.nextCustomerNumber();
    orders.clear();
    orders.putAll(state.orders());
    orderBlocks.clear();
    orderBlocks.addAll(state.orderBlocks());
    nextOrderNumber = state.nextOrderNumber();
    changeDocuments.restore(state.changeDocuments(), state.nextChangeNumber());
  }

  /**
   * Runs a function module: logon, injected faults, authorisation, count, then the handler in its
   * session. {@code destinationFault} is the group a {@code jco.mock.fail.*} setting chose for this
   * call, or 0.
   */
  synchronized void execute(SimDestination d, SimFunction fn, Session contextSession, int destinationFault)
      throws JCoException {
    if (destinationFault != 0) {
      throw fault(destinationFault, contextSession);
    }
    d.checkLogon();
    injectedFault(contextSession);
    if (fn.getName().equals(faultFunction)) {
      faultFunction = null;
      throw fault(functionFaultGroup, contextSession);
    }
    if (d.denies(fn.getName())) {
      throw new JCoException(JCoException.JCO_ERROR_SYSTEM_FAILURE, "JCO_ERROR_SYSTEM_FAILURE",
          "User " + d.logonUser() + " has no RFC authorization for function module " + fn.getName() + ".");
    }
    calls.merge(fn.getName(), 1, Integer::sum);
    Session session = contextSession != null ? contextSession : new Session();
    session.bind(this, d.getUser(), d.getClient());
    try {
      fn.spec().handler().handle(new Call(this, session, fn));
    } catch (JCoException abapException) {
      // The module ended with RAISE: the call is over, and so is a session of its own.
      if (contextSession == null) {
        session.discard();
      }
      throw abapException;
    }
    if (fn.getName().equals(faultAfterFunction)) {
      // The function module ran (a commit has posted); only its answer is lost with the connection.
      faultAfterFunction = null;
      throw fault(faultAfterGroup, contextSession);
    }
    if (contextSession == null) {
      // A call outside a context is a session of its own, ended with the call.
      session.discard();
    }
  }

  /** A remote action that is not a function call (ping, repository, attributes). */
  synchronized void remote(SimDestination d, Session contextSession, int destinationFault) throws JCoException {
    if (destinationFault != 0) {
      throw fault(destinationFault, contextSession);
    }
    d.checkLogon();
    injectedFault(contextSession);
  }

  private void injectedFault(Session contextSession) throws JCoException {
    if (faultsLeft <= 0) {
      return;
    }
    faultsLeft--;
    throw fault(faultGroup, contextSession);
  }

  private static JCoException fault(int group, Session contextSession) {
    if (contextSession != null) {
      // A broken connection ends the SAP session: what it had not committed is rolled back.
      contextSession.discard();
    }
    return new JCoException(group, keyOf(group), "Injected by the SAP simulator: " + describe(group));
  }

  private static String keyOf(int group) {
    return switch (group) {
      case JCoException.JCO_ERROR_COMMUNICATION -> "JCO_ERROR_COMMUNICATION";
      case JCoException.JCO_ERROR_LOGON_FAILURE -> "JCO_ERROR_LOGON_FAILURE";
      case JCoException.JCO_ERROR_SYSTEM_FAILURE -> "JCO_ERROR_SYSTEM_FAILURE";
      case JCoException.JCO_ERROR_RESOURCE -> "JCO_ERROR_RESOURCE";
      case JCoException.JCO_ERROR_TIMEOUT -> "JCO_ERROR_TIMEOUT";
      case JCoException.JCO_ERROR_FUNCTION_NOT_FOUND -> "JCO_ERROR_FUNCTION_NOT_FOUND";
      case JCoException.JCO_ERROR_STATE_BUSY -> "JCO_ERROR_STATE_BUSY";
      default -> "JCO_ERROR_" + group;
    };
  }

  private static String describe(int group) {
    return switch (group) {
      case JCoException.JCO_ERROR_COMMUNICATION -> "connection to the SAP gateway broken";
      case JCoException.JCO_ERROR_LOGON_FAILURE -> "Name or password is incorrect (repeat logon)";
      case JCoException.JCO_ERROR_RESOURCE -> "no free connection in the pool";
      case JCoException.JCO_ERROR_TIMEOUT -> "the call timed out";
      case JCoException.JCO_ERROR_SYSTEM_FAILURE -> "short dump in the SAP system";
      default -> "failure of group " + group;
    };
  }

  // --- for the function handlers (called under the lock) ---

  Optional<CustomerMaster> committed(String kunnr) {
    CustomerMaster c = customers.get(kunnr);
    return c == null ? Optional.empty() : Optional.of(c.copy());
  }

  /** Every committed customer, ordered by number. */
  List<CustomerMaster> committedCustomers() {
    return customers.values().stream().map(CustomerMaster::copy).toList();
  }

  void store(CustomerMaster c) {
    customers.put(c.kunnr, c.copy());
  }

  /** Posts a create with its change document (CHANGE_IND I), as the update task of XD01 does. */
  void create(CustomerMaster c, String user, String tcode) {
    store(c);
    changeDocuments.created(c, user, tcode, SapSimulator.clock());
  }

  /**
   * Posts a change of a customer with its change document (CHANGE_IND U) when a logged field changed;
   * returns the change number, or empty when nothing changed (SAP writes no empty document).
   */
  Optional<String> update(String kunnr, Consumer<CustomerMaster> change, String user, String tcode) {
    CustomerMaster c = customers.get(kunnr);
    if (c == null) {
      return Optional.empty();
    }
    CustomerMaster copy = c.copy();
    change.accept(copy);
    customers.put(kunnr, copy);
    String aufsd = orderBlocks.contains(kunnr) ? "01" : "";
    ChangeDocuments.Header h = changeDocuments.changed(c, copy, aufsd, aufsd, user, tcode, SapSimulator.clock());
    return Optional.ofNullable(h).map(ChangeDocuments.Header::changeNumber);
  }

  /** The change documents written so far, oldest first. */
  List<ChangeDocuments.Header> changeDocuments() {
    return changeDocuments.headers();
  }

  /**
   * Posts the session's queued changes and, with a data file, writes it. When the file cannot be
   * written nothing is posted and the reason is returned, as a failed update task posts nothing.
   */
  Optional<String> post(List<Session.Posting> postings) {
    DataFile.State before = dataFile == null ? null : state();
    for (Session.Posting p : postings) {
      p.post(this);
    }
    if (dataFile == null) {
      return Optional.empty();
    }
    try {
      DataFile.write(dataFile, state());
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      apply(before);
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  /**
   * Locks the customer for the session (enqueue EXKNA1, exclusive): empty when the session holds the
   * lock now, else the logon user of the session that holds it.
   */
  synchronized Optional<String> enqueue(String kunnr, Session session) {
    Session holder = locks.putIfAbsent(kunnr, session);
    return holder == null || holder == session ? Optional.empty() : Optional.of(holder.user());
  }

  synchronized void dequeueAll(Session session) {
    locks.values().removeIf(s -> s == session);
  }

  synchronized Optional<String> lockHolder(String kunnr) {
    Session holder = locks.get(kunnr);
    return holder == null ? Optional.empty() : Optional.of(holder.user());
  }

  Optional<SalesDocument> order(String number) {
    return Optional.ofNullable(orders.get(number));
  }

  /** Every committed sales order, ordered by number. */
  List<SalesDocument> committedOrders() {
    return List.copyOf(orders.values());
  }

  void storeOrder(SalesDocument order) {
    orders.put(order.number(), order);
  }

  boolean hasOrderBlock(String kunnr) {
    return orderBlocks.contains(kunnr);
  }

  /** Draws at once, as SAP's number range buffer does: an order that is rolled back leaves a gap. */
  String drawOrderNumber() {
    return String.format("%010d", nextOrderNumber++);
  }

  /** Sets KNA1-AUFSD: logged like any change of the customer (VD05, block sales), when it exists and was not blocked. */
  synchronized void blockOrders(String kunnr) {
    boolean added = orderBlocks.add(kunnr);
    CustomerMaster c = customers.get(kunnr);
    if (added && c != null) {
      changeDocuments.changed(c, c, "", "01", SapSimulator.DIRECT_USER, "VD05", SapSimulator.clock());
    }
  }

  /**
   * A change made in SAP by someone else (a clerk in XD02): refused while a session holds the customer's
   * lock, as XD02's enqueue would be; posted at once with its change document, and written to the data file.
   */
  synchronized Optional<String> changeDirectly(String kunnr, Consumer<CustomerMaster> change, String user) {
    if (!customers.containsKey(kunnr)) {
      throw new IllegalArgumentException("Customer " + kunnr + " does not exist");
    }
    Session holder = locks.get(kunnr);
    if (holder != null) {
      throw new IllegalStateException("Customer " + kunnr + " is locked by " + holder.user());
    }
    var number = new java.util.concurrent.atomic.AtomicReference<Optional<String>>(Optional.empty());
    Optional<String> failure = post(List.of(system -> number.set(system.update(kunnr, change, user, "XD02"))));
    if (failure.isPresent()) {
      throw new UncheckedIOException(new IOException("Cannot write the data file: " + failure.get()));
    }
    return number.get();
  }

  synchronized Optional<SalesDocument> orderSnapshot(String number) {
    return order(number);
  }

  synchronized int orderCount() {
    return orders.size();
  }

  String drawCustomerNumber() {
    return String.format("%010d", nextCustomerNumber++);
  }

  /** T001, ordered by company code. */
  List<CompanyCode> companyCodes() {
    return List.copyOf(companyCodes.values());
  }

  Optional<String> companyCodeOf(SalesAreaKey area) {
    return Optional.ofNullable(companyCodeBySalesArea.get(area));
  }

  boolean takeCommitFailure() {
    boolean fail = failNextCommit;
    failNextCommit = false;
    return fail;
  }

  // --- test hooks, reached through SapSimulator ---

  synchronized int totalCalls() {
    return calls.values().stream().mapToInt(Integer::intValue).sum();
  }

  synchronized int callCount(String functionName) {
    return calls.getOrDefault(functionName, 0);
  }

  synchronized void failNextCalls(int count, int group) {
    faultsLeft = count;
    faultGroup = group;
  }

  synchronized void failNextCallOf(String functionName, int group) {
    faultFunction = functionName;
    functionFaultGroup = group;
  }

  synchronized void failAfterNextCallOf(String functionName, int group) {
    faultAfterFunction = functionName;
    faultAfterGroup = group;
  }

  synchronized void failNextCommit() {
    failNextCommit = true;
  }

  synchronized Optional<CustomerMaster> snapshot(String kunnr) {
    return committed(kunnr);
  }

  synchronized void addSalesArea(SalesAreaKey area, String companyCode) {
    companyCodeBySalesArea.put(area, companyCode);
  }

  synchronized void seed(CustomerMaster c) {
    store(c);
  }
}
