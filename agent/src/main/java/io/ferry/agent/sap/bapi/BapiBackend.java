package io.ferry.agent.sap.bapi;

import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoParameterList;
import com.sap.conn.jco.JCoRuntimeException;
import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapConversions;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SapMessage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 * GETDETAIL2 nor GETSALESAREAS carries.
 */
public final class BapiBackend implements SapBackend {

  static final String CREATE = "BAPI_CUSTOMER_CREATEFROMDATA1";
  static final String CHANGE = "BAPI_CUSTOMER_CHANGEFROMDATA1";
  static final String GETDETAIL2 = "BAPI_CUSTOMER_GETDETAIL2";
  static final String GETDETAIL1 = "BAPI_CUSTOMER_GETDETAIL1";
  static final String GETSALESAREAS = "BAPI_CUSTOMER_GETSALESAREAS";
  static final String COMMIT = "BAPI_TRANSACTION_COMMIT";
  static final String ROLLBACK = "BAPI_TRANSACTION_ROLLBACK";

  private final BapiSettings settings;

  /**
   * @param destinationName the JCo destination to call
   * @param referenceCustomers default reference customer by sales area, {@code "1000/10/00" -> "1000"}
   */
  public BapiBackend(String destinationName, Map<String, String> referenceCustomers) {
    this(new BapiSettings(destinationName, referenceCustomers));
  }

  public BapiBackend(BapiSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public String name() {
    return "bapi";
  }

  @Override
  public Customer create(Customer customer) throws SapException {
    SalesArea area = customer.salesArea();
    if (area == null) {
      throw JcoErrors.business("salesArea is required to create a customer in SAP", List.of());
    }
    String reference = referenceCustomer(customer, area);
    Map<CompanyField, String> values = sapValues(customer, EnumSet.allOf(CompanyField.class));
    Rfc rfc = Rfc.connect(settings.destination());
    try {
      return create(rfc, customer, area, reference, values);
    } catch (JCoException e) {
      throw JcoErrors.map(e, settings.destination(), "creating a customer");
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, settings.destination(), "creating a customer");
    }
  }

  private Customer create(Rfc rfc, Customer customer, SalesArea area, String reference,
      Map<CompanyField, String> values) throws JCoException, SapException {
    JCoFunction create = rfc.function(CREATE);
    JCoFunction commit = rfc.function(COMMIT);
    JCoFunction rollback = rfc.function(ROLLBACK);
    JCoStructure data = create.getImportParameterList().getStructure("PI_COMPANYDATA");
    for (Map.Entry<CompanyField, String> e : values.entrySet()) {
      if (!e.getValue().isEmpty()) {
        Rfc.put(data, e.getKey().sapField, e.getValue(), e.getKey().canonical);
      }
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
        throw rolledBack(rfc, rollback, JcoErrors.business("SAP refused to create the customer: "
            + ReturnMessages.firstError(messages), messages));
      }
      List<SapMessage> all = new ArrayList<>(messages);
      all.addAll(commit(rfc, commit, rollback, "the new customer " + number));
      return new Created(number, all);
    });
    return read(rfc, created.number(), customer.companyCode(), area).withSapMessages(created.messages());
  }

  @Override
  public Customer read(String customerNumber) throws SapException {
    String number = internal(customerNumber);
    Rfc rfc = Rfc.connect(settings.destination());
    try {
      return read(rfc, number, null, null);
    } catch (JCoException e) {
      throw JcoErrors.map(e, settings.destination(), "reading customer " + number);
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, settings.destination(), "reading customer " + number);
    }
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
    Rfc rfc = Rfc.connect(settings.destination());
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
        throw rolledBack(rfc, rollback, JcoErrors.notFound(number, changed));
      }
      if (ReturnMessages.hasError(changed)) {
        throw rolledBack(rfc, rollback, JcoErrors.business("SAP refused to change customer " + number + ": "
            + ReturnMessages.firstError(changed), changed));
      }
      List<SapMessage> all = new ArrayList<>(changed);
      all.addAll(commit(rfc, commit, rollback, "the change of customer " + number));
      return all;
    });
    return read(rfc, number, null, area).withSapMessages(messages);
  }

  /** Commits with WAIT; a failed posting rolls back and is a BUSINESS failure. */
  private static List<SapMessage> commit(Rfc rfc, JCoFunction commit, JCoFunction rollback, String what)
      throws JCoException, SapException {
    commit.getImportParameterList().setValue("WAIT", "X");
    rfc.execute(commit);
    List<SapMessage> messages = ReturnMessages.of(commit.getExportParameterList().getStructure("RETURN"));
    if (ReturnMessages.hasError(messages)) {
      throw rolledBack(rfc, rollback, JcoErrors.business("SAP could not post " + what + ": "
          + ReturnMessages.firstError(messages), messages));
    }
    return messages;
  }

  /** Rolls back before the failure is reported; a failing rollback only adds to it (SAP rolls back anyway). */
  private static SapException rolledBack(Rfc rfc, JCoFunction rollback, SapException failure) {
    try {
      rfc.execute(rollback);
    } catch (JCoException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  /** Re-reads the customer: GETDETAIL2 (existence, company code), sales area, GETDETAIL1 (data). */
  private Customer read(Rfc rfc, String number, String companyCodeHint, SalesArea preferredArea)
      throws JCoException, SapException {
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
    String companyCode = null;
    if (ReturnMessages.hasError(found)) {
      // F2 503: the customer exists, only not in the company code asked for.
      if (!ReturnMessages.is(found, "F2", "503")) {
        throw JcoErrors.business("SAP refused to read customer " + number + ": " + ReturnMessages.firstError(found), found);
      }
    } else if (companyCodeHint != null) {
      String code = Rfc.optional(detail2.getExportParameterList().getStructure("CUSTOMERCOMPANYDETAIL"), "COMP_CODE");
      companyCode = code.isBlank() ? null : code.strip();
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
        .salesArea(area)
        .companyCode(companyCode);
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
    return settings.referenceCustomer(area).orElseThrow(() -> JcoErrors.configuration(
        "No reference customer for sales area " + area + ": the customer names none and the agent setting "
            + "sap.reference-customer." + area + " is not set; set it to a customer that exists in that sales area",
        null));
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

  @Override
  public String toString() {
    return "BapiBackend[destination=" + settings.destination() + "]";
  }
}
