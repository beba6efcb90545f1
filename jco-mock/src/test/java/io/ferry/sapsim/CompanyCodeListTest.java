package io.ferry.sapsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompanyCodeListTest {

  @Test
  void listsEveryCompanyCodeWithItsNameAndABlankReturn() throws JCoException {
    SapSimulator.instance().reset();
    JCoDestination dest = TestDestinations.get(TestDestinations.SIM);
    JCoFunction f = dest.getRepository().getFunction("BAPI_COMPANYCODE_GETLIST");
    f.execute(dest);
    JCoTable list = f.getTableParameterList().getTable("COMPANYCODE_LIST");
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < list.getNumRows(); i++) {
      list.setRow(i);
      rows.add(list.getString("COMP_CODE") + " " + list.getString("COMP_NAME"));
    }
    assertThat(rows).containsExactly("1000 Ferry Demo AG", "2000 Ferry Demo Ltd");
    assertThat(f.getExportParameterList().getStructure("RETURN").getString("TYPE")).isEmpty();
  }
}
