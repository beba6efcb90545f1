package io.ferry.sapsim;

import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import io.ferry.sapsim.CustomerMaster.Attr;
import io.ferry.sapsim.CustomerMaster.CompanyData;
import io.ferry.sapsim.CustomerMaster.SalesData;
import java.util.Map;
import java.util.Optional;

/**
 * The read BAPIs. They see committed data only: a create queued in the caller's own session is not
 * visible before the commit, as the update task has not run yet.
 */
final class ReadCustomer {

  private ReadCustomer() {}

  /** {@code BAPI_CUSTOMER_GETDETAIL2}: address, general and (for COMPANYCODE) company code data. */
  static void getDetail2(Call call) {
    String kunnr = call.importString("CUSTOMERNO");
    Optional<CustomerMaster> found = call.system().committed(kunnr);
    if (found.isEmpty()) {
      call.answer(Msg.customerDoesNotExist(kunnr));
      return;
    }
    CustomerMaster c = found.get();
    JCoStructure address = call.exports().getStructure("CUSTOMERADDRESS");
    address.setValue("CUSTOMER", c.kunnr);
    address.setValue("NAME", c.get(Attr.NAME1));
    address.setValue("NAME_2", c.get(Attr.NAME2));
    address.setValue("NAME_3", c.get(Attr.NAME3));
    address.setValue("NAME_4", c.get(Attr.NAME4));
    address.setValue("CITY", c.get(Attr.CITY));
    address.setValue("DISTRICT", c.get(Attr.DISTRICT));
    address.setValue("POSTL_COD1", c.get(Attr.POSTL_CODE));
    address.setValue("STREET", truncate((c.get(Attr.STREET) + " " + c.get(Attr.HOUSE_NO)).strip(), 35));
    address.setValue("COUNTRY", c.get(Attr.COUNTRY));
    address.setValue("COUNTRYISO", c.get(Attr.COUNTRY));
    address.setValue("REGION", c.get(Attr.REGION));
    address.setValue("LANGU", c.get(Attr.LANGUAGE));
    address.setValue("LANGU_ISO", Languages.toIso(c.get(Attr.LANGUAGE)));
    address.setValue("TELEPHONE", truncate(c.get(Attr.PHONE), 16));
    address.setValue("FAX_NUMBER", truncate(c.get(Attr.FAX), 31));
    address.setValue("E_MAIL", c.get(Attr.EMAIL));
    JCoStructure general = call.exports().getStructure("CUSTOMERGENERALDETAIL");
    general.setValue("CUSTOMER", c.kunnr);
    general.setValue("ACCNT_GRP", c.accountGroup);
    general.setValue("NAME", c.get(Attr.NAME1));
    general.setValue("NAME_2", c.get(Attr.NAME2));
    general.setValue("CITY", c.get(Attr.CITY));
    general.setValue("COUNTRY", c.get(Attr.COUNTRY));
    general.setValue("LANGU", c.get(Attr.LANGUAGE));
    general.setValue("SORTL", c.get(Attr.SORTL));
    String companyCode = call.importString("COMPANYCODE");
    if (!companyCode.isBlank()) {
      CompanyData k = c.companies.get(companyCode);
      if (k == null) {
        call.answer(Msg.notInCompanyCode(kunnr, companyCode));
        return;
      }
      JCoStructure company = call.exports().getStructure("CUSTOMERCOMPANYDETAIL");
      company.setValue("CUSTOMER", c.kunnr);
      company.setValue("COMP_CODE", companyCode);
      company.setValue("RECON_ACCOUNT", k.reconciliationAccount());
      company.setValue("PMNTTRMS", k.paymentTerms());
    }
  }

  /**
   * {@code BAPI_CUSTOMER_GETDETAIL1}: the same structures as the create, so a caller reads back
   * what it wrote; with a sales area the currency of that sales area is filled.
   */
  static void getDetail1(Call call) {
    String kunnr = call.importString("CUSTOMERNO");
    Optional<CustomerMaster> found = call.system().committed(kunnr);
    if (found.isEmpty()) {
      call.answer(Msg.customerDoesNotExist(kunnr));
      return;
    }
    CustomerMaster c = found.get();
    SalesAreaKey area = new SalesAreaKey(call.importString("PI_SALESORG"),
        call.importString("PI_DISTR_CHAN"), call.importString("PI_DIVISION"));
    SalesData sales = area.isComplete() ? c.sales.get(area) : null;
    if (area.isComplete() && sales == null) {
      call.answer(Msg.notInSalesArea(kunnr, area));
      return;
    }
    String currency = sales == null ? "" : nullToBlank(sales.currency());
    JCoStructure target = call.exports().getStructure(c.person ? "PE_PERSONALDATA" : "PE_COMPANYDATA");
    if (c.person) {
      target.setValue("LASTNAME", c.get(Attr.NAME1));
      target.setValue("FIRSTNAME", c.get(Attr.NAME2));
      target.setValue("LANGU_P", c.get(Attr.LANGUAGE));
      target.setValue("LANGUP_ISO", Languages.toIso(c.get(Attr.LANGUAGE)));
    } else {
      target.setValue("NAME", c.get(Attr.NAME1));
      target.setValue("NAME_2", c.get(Attr.NAME2));
      target.setValue("NAME_3", c.get(Attr.NAME3));
      target.setValue("NAME_4", c.get(Attr.NAME4));
      target.setValue("LANGU", c.get(Attr.LANGUAGE));
      target.setValue("LANGU_ISO", Languages.toIso(c.get(Attr.LANGUAGE)));
    }
    target.setValue("TITLE_KEY", c.get(Attr.TITLE));
    target.setValue("STREET", c.get(Attr.STREET));
    target.setValue("HOUSE_NO", c.get(Attr.HOUSE_NO));
    target.setValue("POSTL_COD1", c.get(Attr.POSTL_CODE));
    target.setValue("CITY", c.get(Attr.CITY));
    target.setValue("DISTRICT", c.get(Attr.DISTRICT));
    target.setValue("REGION", c.get(Attr.REGION));
    target.setValue("COUNTRY", c.get(Attr.COUNTRY));
    target.setValue("COUNTRYISO", c.get(Attr.COUNTRY));
    target.setValue("TEL1_NUMBR", c.get(Attr.PHONE));
    target.setValue("FAX_NUMBER", c.get(Attr.FAX));
    target.setValue("E_MAIL", c.get(Attr.EMAIL));
    target.setValue("CURRENCY", currency);
    target.setValue("CURRENCY_ISO", currency);
    if (c.person) {
      copy(target, call.exports().getStructure("PE_PERSONALDATA_NEW"));
    }
    if (area.isComplete()) {
      call.system().companyCodeOf(area).map(c.companies::get).ifPresent(k -> {
        JCoStructure opt = call.exports().getStructure(c.person ? "PE_OPT_PERSONALDATA" : "PE_OPT_COMPANYDATA");
        opt.setValue("CONTROL_ACCOUNT", k.reconciliationAccount());
        opt.setValue("PMNTTRMS", sales == null ? k.paymentTerms() : nullToBlank(sales.paymentTerms()));
      });
    }
    call.exports().setValue("PE_CONSUMER_FLAG", "");
  }

  /** {@code BAPI_CUSTOMER_GETSALESAREAS}: one row per sales area; QC 160 when there is none. */
  static void getSalesAreas(Call call) {
    String kunnr = call.importString("CUSTOMERNO");
    JCoTable rows = call.tables().getTable("SALESAREAS");
    Map<SalesAreaKey, SalesData> sales = call.system().committed(kunnr).map(c -> c.sales).orElse(Map.of());
    for (SalesAreaKey area : sales.keySet()) {
      rows.appendRow();
      rows.setValue("CUSTOMER", kunnr);
      rows.setValue("SALESORG", area.salesOrg());
      rows.setValue("DISTRCHANN", area.distrChannel());
      rows.setValue("DIVISION", area.division());
    }
    rows.firstRow();
    if (sales.isEmpty()) {
      call.answer(Msg.noSalesData());
    } else {
      call.exports().getStructure("RETURN").setValue("TYPE", "S");
    }
  }

  private static void copy(JCoStructure from, JCoStructure to) {
    for (int i = 0; i < from.getFieldCount(); i++) {
      to.setValue(from.getMetaData().getName(i), from.getString(i));
    }
  }

  private static String truncate(String s, int max) {
    return s.length() > max ? s.substring(0, max) : s;
  }

  private static String nullToBlank(String s) {
    return s == null ? "" : s;
  }
}
