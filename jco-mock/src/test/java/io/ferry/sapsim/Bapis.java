package io.ferry.sapsim;

import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoStructure;

/** Small helpers that call the simulated BAPIs through the JCo API only, as the agent does. */
final class Bapis {

  record Result(String type, String id, String number, String message, String customerNumber) {}

  private final JCoDestination dest;

  Bapis(JCoDestination dest) {
    this.dest = dest;
  }

  JCoFunction function(String name) throws JCoException {
    return dest.getRepository().getFunction(name);
  }

  JCoFunction createFunction(String name, String city) throws JCoException {
    JCoFunction f = function(FunctionCatalog.CREATE);
    JCoStructure data = f.getImportParameterList().getStructure("PI_COMPANYDATA");
    data.setValue("NAME", name);
    data.setValue("STREET", "Hauptstrasse");
    data.setValue("HOUSE_NO", "1");
    data.setValue("POSTL_COD1", "10115");
    data.setValue("CITY", city);
    data.setValue("COUNTRY", "DE");
    data.setValue("LANGU", "D");
    data.setValue("CURRENCY", "EUR");
    JCoStructure ref = f.getImportParameterList().getStructure("PI_COPYREFERENCE");
    ref.setValue("SALESORG", "1000");
    ref.setValue("DISTR_CHAN", "10");
    ref.setValue("DIVISION", "00");
    ref.setValue("REF_CUSTMR", "0000001000");
    return f;
  }

  Result create(String name, String city) throws JCoException {
    return run(createFunction(name, city));
  }

  Result run(JCoFunction f) throws JCoException {
    f.execute(dest);
    JCoStructure ret = f.getExportParameterList().getStructure("RETURN");
    String no = f.getExportParameterList().getListMetaData().hasField("CUSTOMERNO")
        ? f.getExportParameterList().getString("CUSTOMERNO") : "";
    return new Result(ret.getString("TYPE"), ret.getString("ID"), ret.getString("NUMBER"),
        ret.getString("MESSAGE"), no);
  }

  Result commit() throws JCoException {
    JCoFunction f = function(FunctionCatalog.COMMIT);
    f.getImportParameterList().setValue("WAIT", "X");
    return run(f);
  }

  Result rollback() throws JCoException {
    return run(function(FunctionCatalog.ROLLBACK));
  }

  JCoFunction getDetail2(String customerNo) throws JCoException {
    JCoFunction f = function(FunctionCatalog.GETDETAIL2);
    f.getImportParameterList().setValue("CUSTOMERNO", customerNo);
    f.execute(dest);
    return f;
  }

  String returnType(JCoFunction executed) {
    return executed.getExportParameterList().getStructure("RETURN").getString("TYPE");
  }
}
