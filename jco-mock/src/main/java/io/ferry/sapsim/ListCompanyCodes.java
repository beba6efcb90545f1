package io.ferry.sapsim;

import com.sap.conn.jco.JCoTable;

/** {@code BAPI_COMPANYCODE_GETLIST}: every company code of T001 with its name; RETURN stays blank. */
final class ListCompanyCodes {

  private ListCompanyCodes() {}

  static void getList(Call call) {
    JCoTable list = call.tables().getTable("COMPANYCODE_LIST");
    list.deleteAllRows();
    for (CompanyCode k : call.system().companyCodes()) {
      list.appendRow();
      list.setValue("COMP_CODE", k.code());
      list.setValue("COMP_NAME", k.name());
    }
  }
}
