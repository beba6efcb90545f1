package io.ferry.sapsim;

import com.sap.conn.jco.JCoStructure;
import io.ferry.sapsim.CustomerMaster.Attr;
import io.ferry.sapsim.CustomerMaster.CompanyData;
import io.ferry.sapsim.CustomerMaster.SalesData;
import java.util.Optional;

/**
 * {@code BAPI_CUSTOMER_CREATEFROMDATA1}: creates a customer from personal or company data, copying
 * account group, reconciliation account and payment terms from a reference customer that must
 * exist in the given sales area. The customer number is drawn at once (a rollback leaves a gap, as
 * SAP's number ranges do); the record itself is queued until the session commits.
 */
final class CreateCustomer implements FunctionSpec.Handler {

  @Override
  public void handle(Call call) {
    JCoStructure personal = call.importStructure("PI_PERSONALDATA");
    JCoStructure company = call.importStructure("PI_COMPANYDATA");
    boolean hasPersonal = CustomerInput.isFilled(personal);
    boolean hasCompany = CustomerInput.isFilled(company);
    if (hasPersonal && hasCompany) {
      call.answer(Msg.personalOrCompanyNotBoth());
      return;
    }
    if (!hasPersonal && !hasCompany) {
      call.answer(Msg.personalOrCompanyMissing());
      return;
    }
    JCoStructure ref = call.importStructure("PI_COPYREFERENCE");
    for (String f : new String[] {"SALESORG", "DISTR_CHAN", "DIVISION", "REF_CUSTMR"}) {
      if (ref.getString(f).isBlank()) {
        call.answer(Msg.referenceIncomplete("PI_COPYREFERENCE-" + f));
        return;
      }
    }
    SalesAreaKey area = new SalesAreaKey(ref.getString("SALESORG"), ref.getString("DISTR_CHAN"),
        ref.getString("DIVISION"));
    SapSystem sys = call.system();
    Optional<String> companyCode = sys.companyCodeOf(area);
    if (companyCode.isEmpty()) {
      call.answer(Msg.salesAreaUndefined(area));
      return;
    }
    // RFC passes the internal format: "1000" is not customer 0000001000, as in SAP.
    String refNo = ref.getString("REF_CUSTMR");
    Optional<CustomerMaster> reference = sys.committed(refNo);
    if (reference.isEmpty()) {
      call.answer(Msg.customerDoesNotExist(refNo));
      return;
    }
    SalesData refSales = reference.get().sales.get(area);
    if (refSales == null) {
      call.answer(Msg.notInSalesArea(refNo, area));
      return;
    }
    CompanyData refCompany = reference.get().companies.get(companyCode.get());
    if (refCompany == null) {
      call.answer(Msg.notInCompanyCode(refNo, companyCode.get()));
      return;
    }
    CustomerInput in = hasCompany
        ? CustomerInput.forCreate(company, CustomerInput.Kind.COMPANY, "PI_COMPANYDATA")
        : CustomerInput.forCreate(personal, CustomerInput.Kind.PERSONAL, "PI_PERSONALDATA");
    if (in.error != null) {
      call.answer(in.error);
      return;
    }
    JCoStructure opt = call.importStructure(hasCompany ? "PI_OPT_COMPANYDATA" : "PI_OPT_PERSONALDATA");
    String paymentTerms = orDefault(opt.getString("PMNTTRMS"), refCompany.paymentTerms());
    String reconAccount = orDefault(opt.getString("CONTROL_ACCOUNT"), refCompany.reconciliationAccount());

    CustomerMaster c = new CustomerMaster(sys.drawCustomerNumber());
    c.person = !hasCompany;
    c.accountGroup = reference.get().accountGroup;
    c.createdOn = java.time.LocalDate.now(SapSimulator.clock().withZone(java.time.ZoneOffset.UTC)).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
    c.createdBy = call.session().user();
    in.general.forEach(c::set);
    // SAP fills the sort field from the name when none is given.
    c.set(Attr.SORTL, upperPrefix(c.get(Attr.NAME1), 10));
    c.sales.put(area, new SalesData(in.currency, orDefault(opt.getString("PMNTTRMS"), refSales.paymentTerms())));
    c.companies.put(companyCode.get(), new CompanyData(reconAccount, paymentTerms));

    sys.enqueue(c.kunnr, call.session());
    String user = call.session().user();
    // The BAPI posts what XD01 posts, change document included; SAP's TCODE for an RFC call is unverified.
    call.session().queue(system -> system.create(c, user, "XD01"));
    call.exports().setValue("CUSTOMERNO", c.kunnr);
    call.answer(Msg.created(c.kunnr));
  }

  private static String orDefault(String value, String fallback) {
    return value.isBlank() ? fallback : value;
  }

  private static String upperPrefix(String s, int max) {
    String u = s.toUpperCase(java.util.Locale.ROOT);
    return u.length() > max ? u.substring(0, max) : u;
  }
}
