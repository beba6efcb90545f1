package io.ferry.sapsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sap.conn.jco.AbapException;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoFunctionTemplate;
import com.sap.conn.jco.JCoListMetaData;
import com.sap.conn.jco.JCoMetaData;
import com.sap.conn.jco.JCoRecordMetaData;
import com.sap.conn.jco.JCoRepository;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a generic caller reads from the repository, through the JCo API only. */
class RepositoryMetadataTest {

  private JCoRepository repo;

  @BeforeEach
  void setUp() throws JCoException {
    SapSimulator.instance().reset();
    JCoDestination dest = TestDestinations.get(TestDestinations.SIM);
    repo = dest.getRepository();
  }

  @Test
  void everyParameterAndFieldOfEveryFunctionHasTypeLengthAndDescription() throws JCoException {
    List<String> problems = new ArrayList<>();
    for (String name : FunctionCatalog.names()) {
      JCoFunctionTemplate t = repo.getFunctionTemplate(name);
      assertThat(t).as(name).isNotNull();
      for (JCoListMetaData list : Arrays.asList(t.getImportParameterList(), t.getExportParameterList(),
          t.getChangingParameterList(), t.getTableParameterList())) {
        if (list != null) {
          check(name, list, problems);
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  private static void check(String where, JCoMetaData meta, List<String> problems) {
    for (int i = 0; i < meta.getFieldCount(); i++) {
      String field = where + "." + meta.getName(i);
      if (meta.getDescription(i) == null || meta.getDescription(i).isBlank()) {
        problems.add(field + ": no description");
      }
      if (meta.getTypeAsString(i).startsWith("TYPE_")) {
        problems.add(field + ": unknown type " + meta.getType(i));
      }
      if (meta.isStructure(i) || meta.isTable(i)) {
        JCoRecordMetaData line = meta.getRecordMetaData(i);
        if (line == null || !line.getName().equals(meta.getRecordTypeName(i))) {
          problems.add(field + ": no line type");
        } else {
          check(field, line, problems);
        }
      } else if (meta.getType(i) != JCoMetaData.TYPE_STRING && meta.getType(i) != JCoMetaData.TYPE_XSTRING
          && meta.getLength(i) <= 0) {
        problems.add(field + ": length " + meta.getLength(i));
      }
    }
  }

  @Test
  void readTableHasSapsInterfaceWithOptionalImportsAndDefaults() throws JCoException {
    JCoFunctionTemplate t = repo.getFunctionTemplate("RFC_READ_TABLE");
    JCoListMetaData in = t.getImportParameterList();
    assertThat(in.getType("QUERY_TABLE")).isEqualTo(JCoMetaData.TYPE_CHAR);
    assertThat(in.getLength("QUERY_TABLE")).isEqualTo(30);
    assertThat(in.isOptional("QUERY_TABLE")).isFalse();
    assertThat(in.getLength("DELIMITER")).isEqualTo(1);
    assertThat(in.isOptional("DELIMITER")).isTrue();
    assertThat(in.getDefault("DELIMITER")).isEqualTo("SPACE");
    assertThat(in.isOptional("NO_DATA")).isTrue();
    assertThat(in.getType("ROWSKIPS")).isEqualTo(JCoMetaData.TYPE_INT);
    assertThat(in.getTypeAsString("ROWCOUNT")).isEqualTo("INT");
    assertThat(in.isOptional(in.indexOf("ROWCOUNT"))).isTrue();
    assertThat(in.isImport(in.indexOf("ROWCOUNT"))).isTrue();

    JCoListMetaData tables = t.getTableParameterList();
    assertThat(tables.getRecordTypeName("OPTIONS")).isEqualTo("RFC_DB_OPT");
    assertThat(tables.getRecordMetaData("OPTIONS").getLength("TEXT")).isEqualTo(72);
    JCoRecordMetaData fld = tables.getRecordMetaData("FIELDS");
    assertThat(fld.getName()).isEqualTo("RFC_DB_FLD");
    assertThat(List.of(fld.getName(0), fld.getName(1), fld.getName(2), fld.getName(3), fld.getName(4)))
        .containsExactly("FIELDNAME", "OFFSET", "LENGTH", "TYPE", "FIELDTEXT");
    assertThat(fld.getLength("FIELDNAME")).isEqualTo(30);
    assertThat(fld.getType("OFFSET")).isEqualTo(JCoMetaData.TYPE_NUM);
    assertThat(fld.getLength("OFFSET")).isEqualTo(6);
    assertThat(fld.getType("LENGTH")).isEqualTo(JCoMetaData.TYPE_NUM);
    assertThat(fld.getLength("TYPE")).isEqualTo(1);
    assertThat(fld.getLength("FIELDTEXT")).isEqualTo(60);
    assertThat(tables.isTable("DATA")).isTrue();
    assertThat(tables.getRecordMetaData("DATA").getName()).isEqualTo("TAB512");
    assertThat(tables.getRecordMetaData("DATA").getLength("WA")).isEqualTo(512);

    JCoFunction f = t.getFunction();
    assertThat(Arrays.stream(f.getExceptionList()).map(AbapException::getKey)).containsExactly(
        "TABLE_NOT_AVAILABLE", "TABLE_WITHOUT_DATA", "OPTION_NOT_VALID", "FIELD_NOT_VALID", "NOT_AUTHORIZED",
        "DATA_BUFFER_EXCEEDED");
    assertThat(f.getException("OPTION_NOT_VALID").getKey()).isEqualTo("OPTION_NOT_VALID");
    assertThat(f.getException("NO_SUCH_EXCEPTION")).isNull();
  }

  @Test
  void companyCodeListHasBapi0002Lines() throws JCoException {
    JCoFunctionTemplate t = repo.getFunctionTemplate("BAPI_COMPANYCODE_GETLIST");
    assertThat(t.getImportParameterList()).isNull();
    assertThat(t.getExportParameterList().getRecordTypeName("RETURN")).isEqualTo("BAPIRETURN");
    JCoRecordMetaData line = t.getTableParameterList().getRecordMetaData("COMPANYCODE_LIST");
    assertThat(line.getName()).isEqualTo("BAPI0002_1");
    assertThat(line.getFieldCount()).isEqualTo(2);
    assertThat(line.getLength("COMP_CODE")).isEqualTo(4);
    assertThat(line.getLength("COMP_NAME")).isEqualTo(25);
    assertThat(line.getDescription("COMP_CODE")).isEqualTo("Company Code");
    assertThat(t.getFunction().getExceptionList()).isEmpty();
  }

  @Test
  void customerDetail2HasItsOptionalCompanyCodeAndBankTables() throws JCoException {
    JCoFunctionTemplate t = repo.getFunctionTemplate("BAPI_CUSTOMER_GETDETAIL2");
    JCoListMetaData in = t.getImportParameterList();
    assertThat(in.isOptional("CUSTOMERNO")).isFalse();
    assertThat(in.isOptional("COMPANYCODE")).isTrue();
    assertThat(t.getExportParameterList().getRecordTypeName("RETURN")).isEqualTo("BAPIRET1");
    JCoListMetaData tables = t.getTableParameterList();
    assertThat(List.of(tables.getRecordTypeName("CUSTOMERBANKDETAIL"), tables.getRecordTypeName("CUSTOMERIBANDETAIL"),
        tables.getRecordTypeName("CUSTOMERSEPADETAIL")))
        .containsExactly("BAPICUSTOMER_02", "BAPICUSTOMER_03", "BAPICUSTOMER_06");
    assertThat(tables.isOptional("CUSTOMERIBANDETAIL")).isTrue();
  }

  @Test
  void echoStructureCarriesEveryTypeWithLengthsDecimalsAndByteLengths() throws JCoException {
    JCoFunctionTemplate t = repo.getFunctionTemplate("Z_FERRY_ECHO_TYPES");
    JCoRecordMetaData all = t.getImportParameterList().getRecordMetaData("IS_ALL");
    assertThat(all.getName()).isEqualTo("ZFERRY_ALL_TYPES");
    assertThat(typeOf(all, "CHAR10")).isEqualTo("CHAR 10/10/20");
    assertThat(typeOf(all, "NUMC8")).isEqualTo("NUM 8/8/16");
    assertThat(all.getTypeAsString("TEXT")).isEqualTo("STRING");
    assertThat(typeOf(all, "INT4")).isEqualTo("INT 4/4/4");
    assertThat(typeOf(all, "INT2")).isEqualTo("INT2 2/2/2");
    assertThat(typeOf(all, "INT1")).isEqualTo("INT1 1/1/1");
    assertThat(typeOf(all, "AMOUNT")).isEqualTo("BCD 8/8/8");
    assertThat(all.getDecimals("AMOUNT")).isEqualTo(2);
    assertThat(all.getDecimals("QUANTITY")).isEqualTo(3);
    assertThat(typeOf(all, "FLOAT")).isEqualTo("FLOAT 8/8/8");
    assertThat(typeOf(all, "DATE")).isEqualTo("DATE 8/8/16");
    assertThat(typeOf(all, "TIME")).isEqualTo("TIME 6/6/12");
    assertThat(typeOf(all, "RAW16")).isEqualTo("BYTE 16/16/16");
    assertThat(all.getType("BYTES")).isEqualTo(JCoMetaData.TYPE_XSTRING);

    JCoListMetaData in = t.getImportParameterList();
    assertThat(in.isOptional("IS_ALL")).isFalse();
    assertThat(in.isStructure("IS_ALL")).isTrue();
    assertThat(in.isOptional("IV_OPTIONAL")).isTrue();
    assertThat(in.getDefault("IV_OPTIONAL")).isEqualTo("'FERRY'");
    assertThat(in.getDefault("IV_CHAR")).isNull();
    JCoListMetaData changing = t.getChangingParameterList();
    assertThat(changing.isChanging(0)).isTrue();
    assertThat(changing.isImport(0)).isTrue();
    assertThat(changing.isExport(0)).isTrue();
    assertThat(repo.getStructureDefinition("ZFERRY_ALL_TYPES").getFieldCount()).isEqualTo(13);
  }

  private static String typeOf(JCoMetaData m, String field) {
    return m.getTypeAsString(field) + " " + m.getLength(field) + "/" + m.getByteLength(field) + "/"
        + m.getUnicodeByteLength(field);
  }
}
