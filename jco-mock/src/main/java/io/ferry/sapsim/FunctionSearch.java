package io.ferry.sapsim;

import com.sap.conn.jco.AbapException;
import com.sap.conn.jco.JCoTable;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code RFC_FUNCTION_SEARCH}: the function modules whose name matches {@code FUNCNAME} ({@code *} as wildcard), with
 * their function group and short text, in table {@code FUNCTIONS}; {@code NOTHING_FOUND} when none does. The agent reads
 * a function's short text from it (JCo's repository carries none). The texts are the simulator's wording in English,
 * close to SAP's but not copied from a system; every function the simulator has is found.
 */
final class FunctionSearch {

  static final String NAME = "RFC_FUNCTION_SEARCH";
  static final String NOTHING_FOUND = "NOTHING_FOUND";

  /** Function group and short text of each function the simulator has; one it lacks here is found without text. */
  private static final Map<String, String[]> TEXTS = Map.ofEntries(
      Map.entry("BAPI_CUSTOMER_CREATEFROMDATA1", new String[] {"V02D", "Create customer from reference data"}),
      Map.entry("BAPI_CUSTOMER_CHANGEFROMDATA1", new String[] {"V02D", "Change customer data"}),
      Map.entry("BAPI_CUSTOMER_GETDETAIL2", new String[] {"V02D", "Read customer detail data"}),
      Map.entry("BAPI_CUSTOMER_GETDETAIL1", new String[] {"V02D", "Read customer personal and company data"}),
      Map.entry("BAPI_CUSTOMER_GETSALESAREAS", new String[] {"V02D", "Sales areas of a customer"}),
      Map.entry("BAPI_CUSTOMER_GETLIST", new String[] {"V02D", "List of customers"}),
      Map.entry("BAPI_CUSTOMER_FIND", new String[] {"V02D", "Find customers by field values"}),
      Map.entry("BAPI_SALESORDER_CREATEFROMDAT2", new String[] {"2032", "Create sales order"}),
      Map.entry("BAPISDORDER_GETDETAILEDLIST", new String[] {"2032", "Read sales orders in detail"}),
      Map.entry("BAPI_SALESORDER_GETLIST", new String[] {"2032", "List of sales orders"}),
      Map.entry("BAPI_TRANSACTION_COMMIT", new String[] {"BAPT", "Execute external commit when using BAPIs"}),
      Map.entry("BAPI_TRANSACTION_ROLLBACK", new String[] {"BAPT", "Execute external rollback when using BAPIs"}),
      Map.entry("BAPI_COMPANYCODE_GETLIST", new String[] {"1002", "List of company codes"}),
      Map.entry("RFC_READ_TABLE", new String[] {"SDTX", "External access to R/3 tables via RFC"}),
      Map.entry(NAME, new String[] {"RFC1", "Search for function modules"}),
      Map.entry("STFC_STRUCTURE", new String[] {"STFC", "Inhomogeneous structure"}),
      Map.entry(EchoTypes.ECHO, new String[] {"ZFERRY", "Echo one field of every ABAP type"}));

  private FunctionSearch() {}

  static void search(Call call) throws AbapException {
    String wanted = call.importString("FUNCNAME").strip();
    Pattern pattern = Pattern.compile(Pattern.quote(wanted).replace("*", "\\E.*\\Q"));
    JCoTable found = call.tables().getTable("FUNCTIONS");
    found.deleteAllRows();
    for (String name : new java.util.TreeSet<>(FunctionCatalog.names())) {
      if (pattern.matcher(name).matches()) {
        String[] text = TEXTS.getOrDefault(name, new String[] {"", ""});
        found.appendRow();
        found.setValue("FUNCNAME", name);
        found.setValue("GROUPNAME", text[0]);
        found.setValue("STEXT", text[1]);
      }
    }
    if (found.getNumRows() == 0) {
      throw new AbapException(NOTHING_FOUND, "No function module matches " + wanted);
    }
  }
}
