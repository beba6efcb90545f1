package io.ferry.agent.sap.bapi;

import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoParameterList;
import com.sap.conn.jco.JCoRuntimeException;
import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.Correlation;
import io.ferry.agent.sap.CustomerSearch;
import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapConversions;
import io.ferry.agent.sap.SapDiagnosis;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SapMessage;
import io.ferry.protocol.SearchQuery;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The SAP backend that calls the customer BAPIs over RFC through SAP JCo (or this project's
 * jco-mock, which stands in for it in builds and demos). It uses the JCo API only.
 *
 * <p>Create and change run the BAPI and {@code BAPI_TRANSACTION_COMMIT} (WAIT) in one
 * {@code JCoContext}; a RETURN of type E or A rolls back and becomes a BUSINESS failure carrying
 * SAP's messages. Every operation answers the customer as re-read from SAP:
 * {@code BAPI_CUSTOMER_GETDETAIL2} (existence, company code), {@code BAPI_CUSTOMER_GETSALESAREAS}
 * (the sales area) and {@code BAPI_CUSTOMER_GETDETAIL1} for that sales area, which returns the data
 * in the same BAPIKNA106 structure the create wrote, plus the sales area's currency that neither
 * GETDETAIL2 nor GETSALESAREAS carries. No customer BAPI says which company codes a customer has
 * without being asked for one, so the answer never carries {@code companyCode}: a create answers
 * exactly what a later read answers, apart from {@code sapMessages}.
 *
 * <p>Why one class of over 600 lines: every customer operation ends in the same read-back of three BAPIs and the
 * same field mapping ({@link CompanyField}); the RFC plumbing ({@link Rfc}, {@link ReturnMessages},
 * {@link JcoErrors}), the diagnosis ({@link BapiDiagnosis}) and sales orders ({@link BapiSalesOrders}) are apart.
 */
public final class BapiBackend implements SapBackend, CustomerPort {

  static final String CREATE = "BAPI_CUSTOMER_CREATEFROMDATA1";
  static final String CHANGE = "BAPI_CUSTOMER_CHANGEFROMDATA1";
  static final String GETDETAIL2 = "BAPI_CUSTOMER_GETDETAIL2";
  static final String GETDETAIL1 = "BAPI_CUSTOMER_GETDETAIL1";
  static final String GETSALESAREAS = "BAPI_CUSTOMER_GETSALESAREAS";
  static final String FIND = "BAPI_CUSTOMER_FIND";
  static final String GETLIST = "BAPI_CUSTOMER_GETLIST";
  static final String COMMIT = "BAPI_TRANSACTION_COMMIT";
  static final String ROLLBACK = "BAPI_TRANSACTION_ROLLBACK";

  /** KNA1-NAME4, where the external reference lives, takes 35 characters. */
  static final int EXTERNAL_ID_MAX = 35;
  /** More candidates than this for one external id are not read one by one. */
  static final int MAX_CANDIDATES = 20;
  /**
   * The KNA1 fields a search text is looked for in: name and name 2 as written, their match codes MCOD1 and
   * MCOD2 (SAP's upper-case copies of their first 25 characters, kept so that a search can ignore case; the
   * text is upper-cased for them) and the external id.
   */
  static final List<String> SEARCH_FIELDS = List.of("NAME1", "NAME2", "MCOD1", "MCOD2", "NAME4");

  /** Where a create's correlation is, as an operator finds it in SAP. */
  static final String CORRELATION_FIELD = "KNA1-NAME3";

  /**
   * Every function module this backend calls, for customers, sales orders, change detection and the catalog's short
   * texts. RFC_READ_TABLE is how the change watcher reads the change documents (CDHDR) and creation dates (KNA1):
   * SAP's CHANGEDOCUMENT_READ_* functions are not remote-enabled, and nothing is installed in SAP. The agent itself
   * calls it, with fixed tables and conditions ({@link BapiCustomerChanges}); engines reach it only when
   * {@code policy.functions} names it. RFC_FUNCTION_SEARCH (read-only) gives the short texts of the functions
   * {@code policy.functions} names, for the engines' pickers.
   */
  public static final List<String> FUNCTIONS = java.util.stream.Stream.of(
      java.util.stream.Stream.of(CREATE, CHANGE, GETDETAIL2, GETDETAIL1, GETSALESAREAS, FIND, GETLIST, COMMIT, ROLLBACK,
          BapiCustomerChanges.READ_TABLE),
      BapiSalesOrders.FUNCTIONS.stream(),
      java.util.stream.Stream.of(BapiFunctions.SHORT_TEXTS)).flatMap(s -> s).toList();

  private final BapiSettings settings;
  private final CallPolicy calls;
  private final BapiSalesOrders salesOrders;
  private final BapiFunctions functions;
  private final BapiCustomerChanges changes;

  /**
   * @param destinationName the JCo destination to call
   * @param referenceCustomers default reference customer by sales area, {@code "1000/10/00" -> "1000"}
   */
  public BapiBackend(String destinationName, Map<String, String> referenceCustomers) {
    this(new BapiSettings(destinationName, referenceCustomers));
  }

  public BapiBackend(BapiSettings settings) {
    this(settings, CallPolicy.PERMIT_ALL);
  }

  /** @param calls asked before every function module is fetched (the agent's on-prem allowlist) */
  public BapiBackend(BapiSettings settings, CallPolicy calls) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.calls = Objects.requireNonNull(calls, "calls");
    this.salesOrders = new BapiSalesOrders(settings.destination(), calls);
    this.functions = new BapiFunctions(settings.destination(), calls);
    this.changes = new BapiCustomerChanges(settings.destination(), calls);
  }

  /** Customers (this class), sales orders ({@link BapiSalesOrders}) and generic function calls ({@link BapiFunctions}). */
  @Override
  public <P> Optional<P> port(Class<P> type) {
    if (type == io.ferry.agent.salesorder.SalesOrderPort.class) {
      return Optional.of(type.cast(salesOrders));
    }
    if (type == io.ferry.agent.function.FunctionPort.class) {
      return Optional.of(type.cast(functions));
    }
    if (type == io.ferry.agent.changes.CustomerChangePort.class) {
      return Optional.of(type.cast(changes));
    }
    return SapBackend.super.port(type);
  }

  @Override
  public String name() {
    return "bapi";
  }

  @Override
  public Customer create(Customer customer) throws SapException {
    return create(customer, null);
  }

  /** KNA1-NAME3 (BAPIKNA106-NAME_3), when {@code sap.correlation-field} is not {@code none}. */
  @Override
  public Optional<Correlation> correlation(String jobId) {
    return settings.correlationField() == null ? Optional.empty() : Optional.of(Correlation.of(CORRELATION_FIELD, jobId));
  }

  /**
   * Creates and commits in one session. A connection lost before or during the BAPI is UNAVAILABLE: the
   * session ends uncommitted, so SAP rolls the create back. Lost during {@code BAPI_TRANSACTION_COMMIT}, or a
   * failed re-read after it, is OUTCOME_UNKNOWN: the customer may exist now.
   */
  @Override
  public Customer create(Customer customer, Correlation correlation) throws SapException {
    SalesArea area = customer.salesArea();
    if (area == null) {
      throw JcoErrors.business("salesArea is required to create a customer in SAP", List.of());
    }
    String reference = referenceCustomer(customer, area);
    Map<CompanyField, String> values = sapValues(customer, EnumSet.allOf(CompanyField.class));
    Rfc rfc = Rfc.connect(settings.destination(), calls);
    try {
      return create(rfc, customer, area, reference, values, correlation);
    } catch (JCoException e) {
      throw JcoErrors.map(e, settings.destination(), "creating a customer");
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, settings.destination(), "creating a customer");
    }
  }

  private Customer create(Rfc rfc, Customer customer, SalesArea area, String reference,
      Map<CompanyField, String> values, Correlation correlation) throws JCoException, SapException {
    JCoFunction create = rfc.function(CREATE);
    JCoFunction commit = rfc.function(COMMIT);
    JCoFunction rollback = rfc.function(ROLLBACK);
    JCoStructure data = create.getImportParameterList().getStructure("PI_COMPANYDATA");
    for (Map.Entry<CompanyField, String> e : values.entrySet()) {
      if (!e.getValue().isEmpty()) {
        Rfc.put(data, e.getKey().sapField, e.getValue(), e.getKey().canonical);
      }
    }
    if (correlation != null) {
      Rfc.put(data, "NAME_3", correlation.value(), "correlation (sap.correlation-field)");
    }
    JCoStructure ref = create.getImportParameterList().getStructure("PI_COPYREFERENCE");
    Rfc.put(ref, "SALESORG", area.salesOrganization(), "salesArea.salesOrganization");
    Rfc.put(ref, "DISTR_CHAN", area.distributionChannel(), "salesArea.distributionChannel");
    Rfc.put(ref, "DIVISION", area.division(), "salesArea.division");
    Rfc.put(ref, "REF_CUSTMR", reference, "referenceCustomer");

    record Created(String number, List<SapMessage> messages) {}
    Created created = rfc.stateful(() -> {
      rfc.execute(create);
      List<SapMessage> messages = ReturnMessages.of(create.getExportParameterList().getStructure("RETURN"));
      String number = create.getExportParameterList().getString("CUSTOMERNO").strip();
      if (ReturnMessages.hasError(messages) || number.isEmpty()) {
        throw Rfc.rolledBack(rfc, rollback, JcoErrors.business("SAP refused to create the customer: "
            + ReturnMessages.firstError(messages), messages));
      }
      List<SapMessage> all = new ArrayList<>(messages);
      try {
        all.addAll(Rfc.commit(rfc, commit, rollback, "the new customer " + number));
      } catch (JCoException e) {
        throw JcoErrors.outcomeUnknown(e, settings.destination(), "committing the new customer " + number);
      }
      return new Created(number, all);
    });
    List<SapMessage> messages = new ArrayList<>(created.messages());
    String action = "reading the new customer " + created.number() + " back after SAP committed it";
    try {
      return read(rfc, created.number(), customer.companyCode(), area, messages).withSapMessages(messages);
    } catch (JCoException | JCoRuntimeException | SapException e) {
      throw JcoErrors.outcomeUnknown(e, settings.destination(), action);
    }
  }

  /**
   * {@code BAPI_CUSTOMER_FIND} on KNA1-NAME3, exact match, customers flagged for deletion left out; the one
   * found is read as {@link #read} answers. Two or more is BUSINESS (a correlation value is one job's).
   */
  @Override
  public Optional<Customer> findByCorrelation(Correlation correlation) throws SapException {
    String action = "looking up the customer created with " + correlation;
    Rfc rfc = Rfc.connect(settings.destination(), calls);
    try {
      Set<String> numbers = customersWhere(rfc, "NAME3", correlation.value(), "correlation",
          "SAP refused " + action);
      if (numbers.isEmpty()) {
        return Optional.empty();
      }
      if (numbers.size() > 1) {
        throw JcoErrors.business(numbers.size() + " SAP customers carry " + correlation + ": " + numbers, List.of());
      }
      return Optional.of(read(rfc, numbers.iterator().next(), null, null, new ArrayList<>()));
    } catch (JCoException e) {
      throw JcoErrors.map(e, settings.destination(), action);
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, settings.destination(), action);
    }
  }

  @Override
  public Customer read(String customerNumber) throws SapException {
    String number = internal(customerNumber);
    Rfc rfc = Rfc.connect(settings.destination(), calls);
    try {
      return read(rfc, number, null, null, new ArrayList<>());
    } catch (JCoException e) {
      throw JcoErrors.map(e, settings.destination(), "reading customer " + number);
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, settings.destination(), "reading customer " + number);
    }
  }

  /**
   * {@code BAPI_CUSTOMER_FIND} on KNA1-NAME4 (where the create puts {@code externalId}), exact match,
   * then a read of each candidate to keep those whose {@code externalId} is exactly this one (SAP's
   * search may ignore case). Customers flagged for deletion do not count. More than one: BUSINESS,
   * naming them, as Ferry cannot tell which one the caller means.
   */
  @Override
  public Optional<Customer> findByExternalId(String externalId) throws SapException {
    if (externalId == null || externalId.isBlank()) {
      throw JcoErrors.business("externalId is required to look a customer up by it", List.of());
    }
    String wanted = externalId.strip();
    if (wanted.length() > EXTERNAL_ID_MAX) {
      // NAME4 cannot hold it, so no customer carries it.
      return Optional.empty();
    }
    Rfc rfc = Rfc.connect(settings.destination(), calls);
    try {
      return findByExternalId(rfc, wanted);
    } catch (JCoException e) {
      throw JcoErrors.map(e, settings.destination(), "looking up externalId " + wanted);
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, settings.destination(), "looking up externalId " + wanted);
    }
  }

  private Optional<Customer> findByExternalId(Rfc rfc, String wanted) throws JCoException, SapException {
    Set<String> candidates = customersWhere(rfc, "NAME4", wanted, "externalId",
        "SAP refused to look up externalId " + wanted);
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    if (candidates.size() > MAX_CANDIDATES) {
      throw ambiguous(wanted, List.copyOf(candidates));
    }
    List<Customer> matches = new ArrayList<>();
    for (String number : candidates) {
      try {
        Customer c = read(rfc, number, null, null, new ArrayList<>());
        if (wanted.equals(c.externalId())) {
          matches.add(c);
        }
      } catch (SapException e) {
        if (e.kind() != SapException.Kind.NOT_FOUND) {
          throw e;
        }
        // Gone since the search: it does not count.
      }
    }
    if (matches.size() > 1) {
      throw ambiguous(wanted, matches.stream().map(Customer::customerNumber).toList());
    }
    return matches.stream().findFirst();
  }

  /**
   * {@code BAPI_CUSTOMER_FIND} on KNA1-{@code field} = {@code value}, exact match: the numbers of the
   * customers found, those flagged for deletion left out. F2 718 says only that nobody was found; any other
   * error is SAP refusing the search ({@code refusal} then begins the message).
   */
  private static Set<String> customersWhere(Rfc rfc, String field, String value, String what, String refusal)
      throws JCoException, SapException {
    return customersFound(rfc, field, value, false, what, refusal);
  }

  /** As {@link #customersWhere}; {@code pattern}: {@code value} is a pattern with * and + (PL_HOLD = X). */
  private static Set<String> customersFound(Rfc rfc, String field, String value, boolean pattern, String what,
      String refusal) throws JCoException, SapException {
    JCoFunction find = rfc.function(FIND);
    find.getImportParameterList().setValue("MAX_CNT", 0);
    find.getImportParameterList().setValue("PL_HOLD", pattern ? "X" : "");
    JCoTable criteria = find.getTableParameterList().getTable("SELOPT_TAB");
    criteria.appendRow();
    criteria.setValue("TABNAME", "KNA1");
    criteria.setValue("FIELDNAME", field);
    Rfc.put(criteria, "FIELDVALUE", value, what);
    rfc.execute(find);
    List<SapMessage> messages = ReturnMessages.of(find.getExportParameterList().getStructure("RETURN"));
    JCoTable rows = find.getTableParameterList().getTable("RESULT_TAB");
    Set<String> numbers = new LinkedHashSet<>();
    for (int i = 0; i < rows.getNumRows(); i++) {
      rows.setRow(i);
      boolean deleted = "X".equals(Rfc.optional(rows, "DEL_FLAG_G").strip());
      String number = rows.getString("CUSTOMER").strip();
      if (!deleted && !number.isEmpty()) {
        numbers.add(number);
      }
    }
    if (numbers.isEmpty() && ReturnMessages.hasError(messages) && !ReturnMessages.is(messages, "F2", "718")) {
      throw JcoErrors.business(refusal + ": " + ReturnMessages.firstError(messages), messages);
    }
    return numbers;
  }

  private static SapException ambiguous(String externalId, List<String> numbers) {
    String shown = String.join(", ", numbers.subList(0, Math.min(numbers.size(), MAX_CANDIDATES)));
    String more = numbers.size() > MAX_CANDIDATES ? " and " + (numbers.size() - MAX_CANDIDATES) + " more" : "";
    return JcoErrors.business(numbers.size() + " SAP customers carry externalId " + externalId + " (KNA1-NAME4): "
        + shown + more + "; make it unique in SAP (or flag the duplicates for deletion) so Ferry knows which one is meant",
        List.of());
  }

  /**
   * One page in ascending customer number after the cursor, each customer as {@link #read} answers it.
   * Without text: {@code BAPI_CUSTOMER_GETLIST} with IDRANGE {@code I GT <cursor>} and MAXROWS top + 1.
   * With text: {@code BAPI_CUSTOMER_FIND} once per field of {@link #SEARCH_FIELDS} with the pattern
   * {@code *text*} (PL_HOLD = X, MAX_CNT 0 = all; {@code *}, {@code +} and {@code #} in the text
   * escaped with {@code #}), customers flagged for deletion left out; the numbers after the cursor are
   * read in order and kept while {@link CustomerSearch#matches} (FIND's placeholders may ignore case, a
   * name match does not), until the page and one more are found.
   */
  @Override
  public CustomerPage search(SearchQuery query) throws SapException {
    Rfc rfc = Rfc.connect(settings.destination(), calls);
    String action = query.text() == null ? "listing customers" : "searching customers for '" + query.text() + "'";
    try {
      return query.text() == null ? list(rfc, query) : find(rfc, query);
    } catch (JCoException e) {
      throw JcoErrors.map(e, settings.destination(), action);
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, settings.destination(), action);
    }
  }

  private CustomerPage list(Rfc rfc, SearchQuery query) throws JCoException, SapException {
    JCoFunction list = rfc.function(GETLIST);
    list.getImportParameterList().setValue("MAXROWS", query.top() + 1);
    if (query.cursor() != null) {
      JCoTable range = list.getTableParameterList().getTable("IDRANGE");
      range.appendRow();
      range.setValue("SIGN", "I");
      range.setValue("OPTION", "GT");
      Rfc.put(range, "LOW", query.cursor(), "cursor");
    }
    rfc.execute(list);
    List<SapMessage> messages = ReturnMessages.of(list.getExportParameterList().getStructure("RETURN"));
    if (ReturnMessages.hasError(messages) && !ReturnMessages.is(messages, "F2", "718")) {
      throw JcoErrors.business("SAP refused to list customers: " + ReturnMessages.firstError(messages), messages);
    }
    JCoTable rows = list.getTableParameterList().getTable("ADDRESSDATA");
    TreeSet<String> numbers = new TreeSet<>();
    for (int i = 0; i < rows.getNumRows(); i++) {
      rows.setRow(i);
      String number = rows.getString("CUSTOMER").strip();
      if (!number.isEmpty() && (query.cursor() == null || number.compareTo(query.cursor()) > 0)) {
        numbers.add(number);
      }
    }
    return page(rfc, numbers, query.top(), null);
  }

  private CustomerPage find(Rfc rfc, SearchQuery query) throws JCoException, SapException {
    String pattern = "*" + escapePattern(query.text()) + "*";
    String upperPattern = "*" + escapePattern(query.text().toUpperCase(java.util.Locale.ROOT)) + "*";
    TreeSet<String> numbers = new TreeSet<>();
    for (String field : SEARCH_FIELDS) {
      for (String number : customersFound(rfc, field, field.startsWith("MCOD") ? upperPattern : pattern, true, "search",
          "SAP refused to search customers by " + field)) {
        if (query.cursor() == null || number.compareTo(query.cursor()) > 0) {
          numbers.add(number);
        }
      }
    }
    return page(rfc, numbers, query.top(), c -> CustomerSearch.matches(c, query.text()));
  }

  /**
   * Reads the customers in order and keeps those that match ({@code keep} null: all), up to {@code top};
   * one more match means there is a next page, which starts after the last customer kept. A customer gone
   * since the list was made is skipped.
   */
  private CustomerPage page(Rfc rfc, SortedSet<String> numbers, int top, Predicate<Customer> keep)
      throws JCoException, SapException {
    List<Customer> kept = new ArrayList<>();
    for (String number : numbers) {
      if (kept.size() == top && keep == null) {
        return new CustomerPage(kept, CustomerSearch.cursorAfter(kept.get(kept.size() - 1)));
      }
      Customer c;
      try {
        c = read(rfc, number, null, null, new ArrayList<>());
      } catch (SapException e) {
        if (e.kind() == SapException.Kind.NOT_FOUND) {
          continue;
        }
        throw e;
      }
      if (keep != null && !keep.test(c)) {
        continue;
      }
      if (kept.size() == top) {
        return new CustomerPage(kept, CustomerSearch.cursorAfter(kept.get(kept.size() - 1)));
      }
      kept.add(c);
    }
    return new CustomerPage(kept, null);
  }

  /** ABAP's CP escapes with {@code #}: the text's own {@code *}, {@code +} and {@code #} are meant literally. */
  static String escapePattern(String text) {
    StringBuilder b = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '+' || c == '#') {
        b.append('#');
      }
      b.append(c);
    }
    return b.toString();
  }

  @Override
  public Customer update(String customerNumber, CustomerPatch patch) throws SapException {
    String number = internal(customerNumber);
    Set<CompanyField> named = EnumSet.noneOf(CompanyField.class);
    for (CompanyField f : CompanyField.values()) {
      if (patch.names(f.canonical)) {
        named.add(f);
      }
    }
    Map<CompanyField, String> values = sapValues(patch.values(), named);
    SalesArea requested = patch.names("salesArea") ? patch.values().salesArea() : null;
    Rfc rfc = Rfc.connect(settings.destination(), calls);
    try {
      return update(rfc, number, values, requested);
    } catch (JCoException e) {
      throw JcoErrors.map(e, settings.destination(), "changing customer " + number);
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, settings.destination(), "changing customer " + number);
    }
  }

  private Customer update(Rfc rfc, String number, Map<CompanyField, String> values, SalesArea requested)
      throws JCoException, SapException {
    SalesArea area = requested != null ? requested : salesArea(rfc, number, null);
    JCoFunction change = rfc.function(CHANGE);
    JCoFunction commit = rfc.function(COMMIT);
    JCoFunction rollback = rfc.function(ROLLBACK);
    JCoParameterList in = change.getImportParameterList();
    in.setValue("CUSTOMERNO", number);
    if (area != null) {
      Rfc.put(in, "PI_SALESORG", area.salesOrganization(), "salesArea.salesOrganization");
      Rfc.put(in, "PI_DISTR_CHAN", area.distributionChannel(), "salesArea.distributionChannel");
      Rfc.put(in, "PI_DIVISION", area.division(), "salesArea.division");
    }
    JCoStructure data = in.getStructure("PI_COMPANYDATA");
    JCoStructure flags = in.getStructure("PI_COMPANYDATAX");
    for (Map.Entry<CompanyField, String> e : values.entrySet()) {
      // A named field without a value is sent blank with its flag set: SAP clears it.
      Rfc.put(data, e.getKey().sapField, e.getValue(), e.getKey().canonical);
      flags.setValue(e.getKey().sapField, "X");
    }
    List<SapMessage> messages = rfc.stateful(() -> {
      rfc.execute(change);
      List<SapMessage> changed = ReturnMessages.of(change.getExportParameterList().getStructure("RETURN"));
      if (ReturnMessages.is(changed, "F2", "502")) {
        throw Rfc.rolledBack(rfc, rollback, JcoErrors.notFound(number, changed));
      }
      if (ReturnMessages.hasError(changed)) {
        throw Rfc.rolledBack(rfc, rollback, JcoErrors.business("SAP refused to change customer " + number + ": "
            + ReturnMessages.firstError(changed), changed));
      }
      List<SapMessage> all = new ArrayList<>(changed);
      all.addAll(Rfc.commit(rfc, commit, rollback, "the change of customer " + number));
      return all;
    });
    return read(rfc, number, null, area, new ArrayList<>()).withSapMessages(messages);
  }

  /** Commits with WAIT; a failed posting rolls back and is a BUSINESS failure. */
  /**
   * Re-reads the customer: GETDETAIL2 (existence; with a company code, whether the customer is in it),
   * sales area, GETDETAIL1 (data). A customer missing in the company code asked for adds SAP's F2 503,
   * as a warning, to {@code notes}; the answer itself never carries a company code.
   */
  private Customer read(Rfc rfc, String number, String companyCodeHint, SalesArea preferredArea,
      List<SapMessage> notes) throws JCoException, SapException {
    JCoFunction detail2 = rfc.function(GETDETAIL2);
    detail2.getImportParameterList().setValue("CUSTOMERNO", number);
    if (companyCodeHint != null && !companyCodeHint.isBlank()) {
      Rfc.put(detail2.getImportParameterList(), "COMPANYCODE", companyCodeHint, "companyCode");
    }
    rfc.execute(detail2);
    List<SapMessage> found = ReturnMessages.of(detail2.getExportParameterList().getStructure("RETURN"));
    if (ReturnMessages.is(found, "F2", "502")) {
      throw JcoErrors.notFound(number, found);
    }
    if (ReturnMessages.hasError(found)) {
      // F2 503: the customer exists, only not in the company code asked for.
      if (!ReturnMessages.is(found, "F2", "503")) {
        throw JcoErrors.business("SAP refused to read customer " + number + ": " + ReturnMessages.firstError(found), found);
      }
      found.stream().filter(SapMessage::isError)
          .forEach(m -> notes.add(new SapMessage("W", m.id(), m.number(), m.message())));
    }

    SalesArea area = salesArea(rfc, number, preferredArea);
    JCoFunction detail1 = rfc.function(GETDETAIL1);
    JCoParameterList in = detail1.getImportParameterList();
    in.setValue("CUSTOMERNO", number);
    if (area != null) {
      in.setValue("PI_SALESORG", area.salesOrganization());
      in.setValue("PI_DISTR_CHAN", area.distributionChannel());
      in.setValue("PI_DIVISION", area.division());
    }
    rfc.execute(detail1);
    List<SapMessage> read = ReturnMessages.of(detail1.getExportParameterList().getStructure("RETURN"));
    if (ReturnMessages.is(read, "F2", "502")) {
      throw JcoErrors.notFound(number, read);
    }
    if (ReturnMessages.hasError(read)) {
      throw JcoErrors.business("SAP refused to read customer " + number + ": " + ReturnMessages.firstError(read), read);
    }
    JCoStructure data = detail1.getExportParameterList().getStructure("PE_COMPANYDATA");
    Customer.Builder b = Customer.builder()
        .customerNumber(SapConversions.toExternalCustomerNumber(number))
        .salesArea(area);
    for (CompanyField f : CompanyField.values()) {
      f.setter.accept(b, canonical(f, data.getString(f.sapField)));
    }
    if (b.build().language() == null && !Rfc.optional(data, "LANGU_ISO").isBlank()) {
      b.language(Rfc.optional(data, "LANGU_ISO").strip().toLowerCase(java.util.Locale.ROOT));
    }
    return b.build();
  }

  /** The preferred sales area when the customer has it, else the first SAP lists, else none. */
  private static SalesArea salesArea(Rfc rfc, String number, SalesArea preferred) throws JCoException, SapException {
    JCoFunction f = rfc.function(GETSALESAREAS);
    f.getImportParameterList().setValue("CUSTOMERNO", number);
    rfc.execute(f);
    // RETURN QC 160 only says there are none; the table says the same.
    JCoTable rows = f.getTableParameterList().getTable("SALESAREAS");
    List<SalesArea> areas = new ArrayList<>();
    for (int i = 0; i < rows.getNumRows(); i++) {
      rows.setRow(i);
      areas.add(new SalesArea(rows.getString("SALESORG").strip(), rows.getString("DISTRCHANN").strip(),
          rows.getString("DIVISION").strip()));
    }
    if (preferred != null && areas.contains(preferred)) {
      return preferred;
    }
    return areas.isEmpty() ? null : areas.get(0);
  }

  /** SAP's value in the canonical form; a key Ferry cannot translate is left out rather than failing the read. */
  private static String canonical(CompanyField f, String sapValue) {
    try {
      return f.canonicalValue(sapValue);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private String referenceCustomer(Customer customer, SalesArea area) throws SapException {
    if (customer.referenceCustomer() != null && !customer.referenceCustomer().isBlank()) {
      try {
        return SapConversions.toInternalCustomerNumber(customer.referenceCustomer());
      } catch (IllegalArgumentException e) {
        throw JcoErrors.business("referenceCustomer: " + e.getMessage(), List.of());
      }
    }
    String setting = "sap.reference-customer." + area;
    return settings.referenceCustomer(area).orElseThrow(() -> SapException.missingSetting(setting,
        "the agent has no " + setting + ": the customer names no referenceCustomer, and the agent's configuration "
            + "names no default reference customer for sales area " + area + "; an operator sets " + setting
            + " to a customer that exists in that sales area (or the request names referenceCustomer)"));
  }

  /** The SAP values of the fields; an unconvertible code is SAP-bound data SAP cannot take. */
  private static Map<CompanyField, String> sapValues(Customer customer, Set<CompanyField> fields) throws SapException {
    Map<CompanyField, String> values = new EnumMap<>(CompanyField.class);
    for (CompanyField f : fields) {
      try {
        values.put(f, f.sapValue(customer));
      } catch (IllegalArgumentException e) {
        throw JcoErrors.business(f.canonical + ": " + e.getMessage(), List.of());
      }
    }
    return values;
  }

  /** A number that cannot be a customer number names no customer. */
  private static String internal(String customerNumber) throws SapException {
    try {
      return SapConversions.toInternalCustomerNumber(customerNumber);
    } catch (IllegalArgumentException e) {
      throw JcoErrors.notFound(String.valueOf(customerNumber), List.of());
    }
  }

  /**
   * Checks destination, network, logon, system and each function module Ferry calls, for
   * {@code ferry agent test-sap}; see {@link BapiDiagnosis}. Never throws.
   */
  @Override
  public SapDiagnosis diagnose() {
    return diagnose(SapBackend.CUSTOMER_ACTIONS);
  }

  /** As {@link #diagnose()}, with the order functions ({@link BapiSalesOrders#FUNCTIONS}) when actions has orders. */
  @Override
  public SapDiagnosis diagnose(Set<io.ferry.protocol.Action> actions) {
    // Generic actions carry payloads too, but need no sales-order function (the default policy runs them).
    boolean orders = actions.stream().anyMatch(a -> a.carriesPayload() && !a.isGeneric());
    return BapiDiagnosis.run(settings.destination(), orders ? BapiSalesOrders.FUNCTIONS : List.of());
  }

  @Override
  public String toString() {
    return "BapiBackend[destination=" + settings.destination() + "]";
  }
}
