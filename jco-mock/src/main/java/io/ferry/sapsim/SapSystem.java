package io.ferry.sapsim;

import com.sap.conn.jco.JCoException;
import io.ferry.sapsim.CustomerMaster.Attr;
import io.ferry.sapsim.CustomerMaster.CompanyData;
import io.ferry.sapsim.CustomerMaster.SalesData;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The simulated SAP system: organisational data, the committed customer master, the customer
 * number range, per-function call counts and injected faults. One lock guards it all; every
 * function module runs under it, so concurrent callers see SAP-like serialised postings.
 */
final class SapSystem {

  static final String SYSTEM_ID = "FRY";
  static final long FIRST_CUSTOMER_NUMBER = 100001L;

  private final Map<String, CustomerMaster> customers = new TreeMap<>();
  private final Map<SalesAreaKey, String> companyCodeBySalesArea = new HashMap<>();
  private final Map<String, Integer> calls = new HashMap<>();
  /** The lock table: customer number to the session holding its EXKNA1 lock. */
  private final Map<String, Session> locks = new HashMap<>();
  private long nextCustomerNumber;
  private int faultsLeft;
  private int faultGroup;
  private String faultFunction;
  private int functionFaultGroup;
  private boolean failNextCommit;

  SapSystem() {
    reset();
  }

  /** Back to the seed: see jco-mock/README.md. */
  synchronized void reset() {
    customers.clear();
    locks.clear();
    companyCodeBySalesArea.clear();
    calls.clear();
    nextCustomerNumber = FIRST_CUSTOMER_NUMBER;
    faultsLeft = 0;
    faultFunction = null;
    failNextCommit = false;
    SalesAreaKey area = new SalesAreaKey("1000", "10", "00");
    companyCodeBySalesArea.put(area, "1000");
    CustomerMaster ref = new CustomerMaster("0000001000");
    ref.accountGroup = "KUNA";
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

  /** Runs a function module: logon, injected fault, count, then the handler in its session. */
  synchronized void execute(SimDestination d, SimFunction fn, Session contextSession) throws JCoException {
    d.checkLogon();
    injectedFault(contextSession);
    if (fn.getName().equals(faultFunction)) {
      faultFunction = null;
      throw fault(functionFaultGroup, contextSession);
    }
    calls.merge(fn.getName(), 1, Integer::sum);
    Session session = contextSession != null ? contextSession : new Session();
    session.bind(this, d.getUser());
    fn.spec().handler().handle(new Call(this, session, fn));
    if (contextSession == null) {
      // A call outside a context is a session of its own, ended with the call.
      session.discard();
    }
  }

  /** A remote action that is not a function call (ping, repository, attributes). */
  synchronized void remote(SimDestination d) throws JCoException {
    d.checkLogon();
    injectedFault(JcoBridge.contextSession(d));
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
  java.util.List<CustomerMaster> committedCustomers() {
    return customers.values().stream().map(CustomerMaster::copy).toList();
  }

  void store(CustomerMaster c) {
    customers.put(c.kunnr, c.copy());
  }

  void update(String kunnr, Consumer<CustomerMaster> change) {
    CustomerMaster c = customers.get(kunnr);
    if (c != null) {
      CustomerMaster copy = c.copy();
      change.accept(copy);
      customers.put(kunnr, copy);
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

  String drawCustomerNumber() {
    String n = String.format("%010d", nextCustomerNumber++);
    return n;
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
