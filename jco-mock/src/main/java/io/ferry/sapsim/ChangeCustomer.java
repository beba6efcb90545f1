package io.ferry.sapsim;

import com.sap.conn.jco.JCoStructure;
import io.ferry.sapsim.CustomerMaster.Attr;
import io.ferry.sapsim.CustomerMaster.CompanyData;
import io.ferry.sapsim.CustomerMaster.SalesData;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code BAPI_CUSTOMER_CHANGEFROMDATA1}: changes exactly the fields whose X flag is set. The
 * currency belongs to the sales area, so changing it needs PI_SALESORG, PI_DISTR_CHAN and
 * PI_DIVISION. The change is queued until the session commits, and applied then to the customer as
 * it is at that moment.
 */
final class ChangeCustomer implements FunctionSpec.Handler {

  @Override
  public void handle(Call call) {
    String kunnr = call.importString("CUSTOMERNO");
    SapSystem sys = call.system();
    Optional<CustomerMaster> current = sys.committed(kunnr);
    if (current.isEmpty()) {
      call.answer(Msg.customerDoesNotExist(kunnr));
      return;
    }
    boolean hasPersonal = CustomerInput.isFilled(call.importStructure("PI_PERSONALDATAX"));
    boolean hasCompany = CustomerInput.isFilled(call.importStructure("PI_COMPANYDATAX"));
    if (hasPersonal && hasCompany) {
      call.answer(Msg.personalOrCompanyNotBoth());
      return;
    }
    CustomerInput in = null;
    if (hasCompany) {
      in = CustomerInput.forChange(call.importStructure("PI_COMPANYDATA"),
          call.importStructure("PI_COMPANYDATAX"), CustomerInput.Kind.COMPANY, "PI_COMPANYDATA");
    } else if (hasPersonal) {
      in = CustomerInput.forChange(call.importStructure("PI_PERSONALDATA"),
          call.importStructure("PI_PERSONALDATAX"), CustomerInput.Kind.PERSONAL, "PI_PERSONALDATA");
    }
    if (in != null && in.error != null) {
      call.answer(in.error);
      return;
    }
    SalesAreaKey area = new SalesAreaKey(call.importString("PI_SALESORG"),
        call.importString("PI_DISTR_CHAN"), call.importString("PI_DIVISION"));
    JCoStructure opt = call.importStructure(hasPersonal ? "PI_OPT_PERSONALDATA" : "PI_OPT_COMPANYDATA");
    JCoStructure optX = call.importStructure(hasPersonal ? "PI_OPT_PERSONALDATAX" : "PI_OPT_COMPANYDATAX");
    String paymentTerms = "X".equals(optX.getString("PMNTTRMS")) ? opt.getString("PMNTTRMS") : null;
    String reconAccount = "X".equals(optX.getString("CONTROL_ACCOUNT")) ? opt.getString("CONTROL_ACCOUNT") : null;
    String currency = in == null ? null : in.currency;
    boolean salesAreaNeeded = currency != null || paymentTerms != null || reconAccount != null;
    if (salesAreaNeeded && !area.isComplete()) {
      call.answer(Msg.currencyNeedsSalesArea());
      return;
    }
    if (salesAreaNeeded && !current.get().sales.containsKey(area)) {
      call.answer(Msg.notInSalesArea(kunnr, area));
      return;
    }
    String companyCode = area.isComplete() ? sys.companyCodeOf(area).orElse(null) : null;
    Optional<String> holder = sys.enqueue(kunnr, call.session());
    if (holder.isPresent()) {
      call.answer(Msg.customerLocked(kunnr, holder.get()));
      return;
    }
    Map<Attr, String> general = in == null ? Map.of() : new EnumMap<>(in.general);
    String user = call.session().user();
    call.session().queue(system -> system.update(kunnr, c -> {
      general.forEach(c::set);
      SalesData s = c.sales.get(area);
      if (s != null && (currency != null || paymentTerms != null)) {
        c.sales.put(area, new SalesData(currency != null ? currency : s.currency(),
            paymentTerms != null ? paymentTerms : s.paymentTerms()));
      }
      CompanyData k = companyCode == null ? null : c.companies.get(companyCode);
      if (k != null && (reconAccount != null || paymentTerms != null)) {
        c.companies.put(companyCode, new CompanyData(reconAccount != null ? reconAccount : k.reconciliationAccount(),
            paymentTerms != null ? paymentTerms : k.paymentTerms()));
      }
    }, user, "XD02"));
    call.answer(Msg.changed(kunnr));
  }
}
