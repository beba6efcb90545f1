package io.ferry.sapsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sap.conn.jco.JCoContext;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListBapiTest {

  private final SapSimulator sim = SapSimulator.instance();
  private JCoDestination dest;
  private Bapis bapi;

  @BeforeEach
  void setUp() throws JCoException {
    sim.reset();
    dest = TestDestinations.get(TestDestinations.SIM);
    bapi = new Bapis(dest);
  }

  private String createCommitted(String name, String name4) throws JCoException {
    JCoFunction create = bapi.createFunction(name, "Berlin");
    create.getImportParameterList().getStructure("PI_COMPANYDATA").setValue("NAME_4", name4);
    JCoContext.begin(dest);
    try {
      String number = bapi.run(create).customerNumber();
      bapi.commit();
      return number;
    } finally {
      JCoContext.end(dest);
    }
  }

  private JCoFunction getList(int maxRows, String... signOptionLowHigh) throws JCoException {
    JCoFunction f = bapi.function(FunctionCatalog.GETLIST);
    f.getImportParameterList().setValue("MAXROWS", maxRows);
    JCoTable range = f.getTableParameterList().getTable("IDRANGE");
    for (int i = 0; i < signOptionLowHigh.length; i += 4) {
      range.appendRow();
      range.setValue("SIGN", signOptionLowHigh[i]);
      range.setValue("OPTION", signOptionLowHigh[i + 1]);
      range.setValue("LOW", signOptionLowHigh[i + 2]);
      range.setValue("HIGH", signOptionLowHigh[i + 3]);
    }
    f.execute(dest);
    return f;
  }

  private static List<String> column(JCoTable table, String field) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < table.getNumRows(); i++) {
      table.setRow(i);
      values.add(table.getString(field));
    }
    return values;
  }

  private static String code(JCoFunction f) {
    JCoStructure ret = f.getExportParameterList().getStructure("RETURN");
    return ret.getString("TYPE").isEmpty() ? "" : ret.getString("TYPE") + " " + ret.getString("ID") + " " + ret.getString("NUMBER");
  }

  @Test
  void getListSelectsByRangeAndAnswersAddresses() throws Exception {
    String a = createCommitted("Acme GmbH", "CRM-1");
    String b = createCommitted("Beta AG", "CRM-2");

    JCoFunction between = getList(0, "I", "BT", a, b);
    JCoTable rows = between.getTableParameterList().getTable("ADDRESSDATA");
    assertThat(column(rows, "CUSTOMER")).containsExactly(a, b);
    assertThat(column(rows, "NAME")).containsExactly("Acme GmbH", "Beta AG");
    assertThat(column(rows, "STREET")).containsOnly("Hauptstrasse 1");
    assertThat(column(rows, "COUNTRYISO")).containsOnly("DE");
    assertThat(code(between)).isBlank();

    JCoFunction allButA = getList(0, "I", "CP", "*", "", "E", "EQ", a, "");
    assertThat(column(allButA.getTableParameterList().getTable("ADDRESSDATA"), "CUSTOMER"))
        .containsExactly("0000001000", b);

    JCoFunction limited = getList(1);
    assertThat(column(limited.getTableParameterList().getTable("ADDRESSDATA"), "CUSTOMER"))
        .containsExactly("0000001000");
    assertThat(column(limited.getTableParameterList().getTable("SPECIALDATA"), "CUSTOMER"))
        .containsExactly("0000001000");
  }

  @Test
  void getListWithoutHitsAnswersF2718AndBadRangesS26AndS27() throws Exception {
    JCoFunction none = getList(0, "I", "EQ", "0000099999", "");
    assertThat(code(none)).isEqualTo("E F2 718");
    assertThat(none.getExportParameterList().getStructure("RETURN").getString("MESSAGE"))
        .isEqualTo("No customers were found for the selection criteria");
    assertThat(none.getTableParameterList().getTable("ADDRESSDATA").isEmpty()).isTrue();

    assertThat(code(getList(0, "X", "EQ", "1", ""))).isEqualTo("E S& 026");
    assertThat(code(getList(0, "I", "ZZ", "1", ""))).isEqualTo("E S& 027");
  }

  private JCoFunction find(String field, String value, boolean placeholders, String companyCode) throws JCoException {
    JCoFunction f = bapi.function(FunctionCatalog.FIND);
    f.getImportParameterList().setValue("MAX_CNT", 0);
    f.getImportParameterList().setValue("PL_HOLD", placeholders ? "X" : "");
    JCoTable sel = f.getTableParameterList().getTable("SELOPT_TAB");
    sel.appendRow();
    sel.setValue("COMP_CODE", companyCode);
    sel.setValue("TABNAME", "KNA1");
    sel.setValue("FIELDNAME", field);
    sel.setValue("FIELDVALUE", value);
    f.execute(dest);
    return f;
  }

  @Test
  void findMatchesNameFourExactlyOrByPattern() throws Exception {
    String a = createCommitted("Acme GmbH", "CRM-1");
    String b = createCommitted("Beta AG", "CRM-10");

    JCoFunction exact = find("NAME4", "CRM-1", false, "");
    JCoTable hits = exact.getTableParameterList().getTable("RESULT_TAB");
    assertThat(column(hits, "CUSTOMER")).containsExactly(a);
    assertThat(column(hits, "FIELDVALUE")).containsExactly("CRM-1");
    assertThat(column(hits, "FIELDNAME")).containsExactly("NAME4");
    assertThat(code(exact)).isBlank();

    assertThat(column(find("NAME4", "crm-1*", true, "").getTableParameterList().getTable("RESULT_TAB"), "CUSTOMER"))
        .containsExactly(a, b);
    assertThat(column(find("NAME4", "CRM-1*", false, "").getTableParameterList().getTable("RESULT_TAB"), "CUSTOMER"))
        .isEmpty();
    assertThat(column(find("NAME4", "CRM-1", false, "1000").getTableParameterList().getTable("RESULT_TAB"), "CUSTOMER"))
        .containsExactly(a);
    assertThat(code(find("NAME4", "CRM-1", false, "2000"))).isEqualTo("E F2 718");
  }

  @Test
  void findSeesCommittedDataOnlyAndRefusesFieldsItCannotSearch() throws Exception {
    JCoContext.begin(dest);
    try {
      JCoFunction create = bapi.createFunction("Gamma KG", "Bonn");
      create.getImportParameterList().getStructure("PI_COMPANYDATA").setValue("NAME_4", "CRM-3");
      bapi.run(create);
      assertThat(code(find("NAME4", "CRM-3", false, ""))).isEqualTo("E F2 718");
    } finally {
      JCoContext.end(dest);
    }

    JCoFunction unsupported = find("ZZFIELD", "x", false, "");
    assertThat(code(unsupported)).isEqualTo("E ZFERRY_SIM 020");
  }
}
