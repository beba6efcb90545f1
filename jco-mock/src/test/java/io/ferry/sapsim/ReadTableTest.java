package io.ferry.sapsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sap.conn.jco.AbapException;
import com.sap.conn.jco.JCoContext;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC_READ_TABLE through the JCo API, as a generic caller reads a table. */
class ReadTableTest {

  private final SapSimulator sim = SapSimulator.instance();
  private JCoDestination dest;
  private Bapis bapi;

  @BeforeEach
  void setUp() throws JCoException {
    sim.reset();
    dest = TestDestinations.get(TestDestinations.SIM);
    bapi = new Bapis(dest);
  }

  /** Customers 0000100001 Anna (Berlin DE), 0000100002 Bernard (Paris FR), 0000100003 Anton (Hamburg DE). */
  private void threeCustomers() throws JCoException {
    create("Anna GmbH", "Berlin", "DE");
    create("Bernard SARL", "Paris", "FR");
    create("Anton KG", "Hamburg", "DE");
  }

  private void create(String name, String city, String country) throws JCoException {
    JCoFunction f = bapi.createFunction(name, city);
    f.getImportParameterList().getStructure("PI_COMPANYDATA").setValue("COUNTRY", country);
    JCoContext.begin(dest);
    try {
      assertThat(bapi.run(f).type()).isEqualTo("S");
      bapi.commit();
    } finally {
      JCoContext.end(dest);
    }
  }

  private JCoFunction readTable(String table, List<String> fields, String... where) throws JCoException {
    JCoFunction f = bapi.function("RFC_READ_TABLE");
    f.getImportParameterList().setValue("QUERY_TABLE", table);
    JCoTable fieldTable = f.getTableParameterList().getTable("FIELDS");
    for (String field : fields) {
      fieldTable.appendRow();
      fieldTable.setValue("FIELDNAME", field);
    }
    JCoTable options = f.getTableParameterList().getTable("OPTIONS");
    for (String line : where) {
      options.appendRow();
      options.setValue("TEXT", line);
    }
    return f;
  }

  private List<String> rows(JCoFunction executed) {
    JCoTable data = executed.getTableParameterList().getTable("DATA");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < data.getNumRows(); i++) {
      data.setRow(i);
      out.add(data.getString("WA"));
    }
    return out;
  }

  private AbapException raised(JCoFunction f) {
    try {
      f.execute(dest);
    } catch (AbapException e) {
      return e;
    } catch (JCoException e) {
      throw new AssertionError("Not an ABAP exception: " + e, e);
    }
    throw new AssertionError("No exception raised");
  }

  @Test
  void withoutFieldsEveryColumnComesBackWithOffsetsLengthsTypesAndTexts() throws JCoException {
    JCoFunction f = readTable("KNA1", List.of());
    f.execute(dest);
    JCoTable fields = f.getTableParameterList().getTable("FIELDS");
    assertThat(fields.getNumRows()).isGreaterThanOrEqualTo(9);
    fields.setRow(0);
    assertThat(fields.getString("FIELDNAME")).isEqualTo("MANDT");
    assertThat(fields.getString("OFFSET")).isEqualTo("000000");
    assertThat(fields.getString("LENGTH")).isEqualTo("000003");
    fields.setRow(1);
    assertThat(fields.getString("FIELDNAME")).isEqualTo("KUNNR");
    assertThat(fields.getString("OFFSET")).isEqualTo("000003");
    assertThat(fields.getString("LENGTH")).isEqualTo("000010");
    assertThat(fields.getString("TYPE")).isEqualTo("C");
    assertThat(fields.getString("FIELDTEXT")).isEqualTo("Customer Number");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < fields.getNumRows(); i++) {
      fields.setRow(i);
      names.add(fields.getString("FIELDNAME"));
      if (names.get(i).equals("ERDAT")) {
        assertThat(fields.getString("TYPE")).isEqualTo("D");
      }
    }
    assertThat(names).contains("KUNNR", "LAND1", "NAME1", "ORT01", "PSTLZ", "STRAS", "SPRAS", "KTOKD", "ERDAT");

    List<String> data = rows(f);
    assertThat(data).hasSize(1); // the seed's reference customer
    assertThat(data.get(0)).startsWith("1000000001000DE ");
  }

  @Test
  void selectedFieldsAreCutAtTheirOffsets() throws JCoException {
    threeCustomers();
    JCoFunction f = readTable("KNA1", List.of("KUNNR", "NAME1", "LAND1"), "LAND1 EQ 'DE'");
    f.execute(dest);
    JCoTable fields = f.getTableParameterList().getTable("FIELDS");
    fields.setRow(2);
    assertThat(fields.getString("FIELDNAME")).isEqualTo("LAND1");
    assertThat(fields.getInt("OFFSET")).isEqualTo(45);
    assertThat(fields.getInt("LENGTH")).isEqualTo(3);
    List<String> data = rows(f);
    assertThat(data).hasSize(3);
    assertThat(data.get(1).substring(0, 10)).isEqualTo("0000100001");
    assertThat(data.get(1).substring(10, 45).strip()).isEqualTo("Anna GmbH");
    assertThat(data.get(1).substring(45)).isEqualTo("DE"); // the line's trailing blanks are trimmed on read
    assertThat(data).noneMatch(line -> line.contains("Bernard"));
  }

  @Test
  void aDelimiterSeparatesColumnsThatKeepTheirWidth() throws JCoException {
    threeCustomers();
    JCoFunction f = readTable("KNA1", List.of("KUNNR", "LAND1", "ORT01"), "KUNNR = '0000100002'");
    f.getImportParameterList().setValue("DELIMITER", "|");
    f.execute(dest);
    assertThat(rows(f)).containsExactly("0000100002|FR |Paris");
    JCoTable fields = f.getTableParameterList().getTable("FIELDS");
    fields.setRow(1);
    assertThat(fields.getInt("OFFSET")).isEqualTo(11);
    fields.setRow(2);
    assertThat(fields.getInt("OFFSET")).isEqualTo(15);
  }

  @Test
  void optionsCombineComparisonsOverSeveralLines() throws JCoException {
    threeCustomers();
    assertThat(kunnrs("NAME1 LIKE 'An%'")).containsExactly("0000100001", "0000100003");
    assertThat(kunnrs("LAND1 NE 'DE'")).containsExactly("0000100002");
    assertThat(kunnrs("KUNNR GT '0000100001' AND", "LAND1 = 'DE'")).containsExactly("0000100003");
    assertThat(kunnrs("ORT01 = 'Paris' OR ORT01 = 'Berlin'")).containsExactly("0000100001", "0000100002");
    assertThat(kunnrs("KUNNR GE '0000100002' AND KUNNR LE '0000100002'")).containsExactly("0000100002");
    assertThat(kunnrs("KUNNR LT '0000100000'")).containsExactly("0000001000");
    assertThat(kunnrs("land1 eq 'FR' or ( name1 like '_nton%' )")).containsExactly("0000100002", "0000100003");
    assertThat(kunnrs("NAME1 EQ 'Nobody'")).isEmpty();
  }

  private List<String> kunnrs(String... where) throws JCoException {
    JCoFunction f = readTable("KNA1", List.of("KUNNR"), where);
    f.execute(dest);
    return rows(f);
  }

  @Test
  void creationDateAndUserAreKept() throws JCoException {
    create("Anna GmbH", "Berlin", "DE");
    JCoFunction f = readTable("KNA1", List.of("KUNNR", "ERDAT", "ERNAM"), "ERDAT GE '20250101'");
    f.getImportParameterList().setValue("DELIMITER", ",");
    f.execute(dest);
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
    assertThat(rows(f)).containsExactly("0000100001," + today + ",FERRY");
    assertThat(kunnrs("ERDAT = '20240102'")).containsExactly("0000001000");
  }

  @Test
  void rowSkipsAndRowCountPage() throws JCoException {
    threeCustomers();
    JCoFunction f = readTable("KNA1", List.of("KUNNR"));
    f.getImportParameterList().setValue("ROWSKIPS", 1);
    f.getImportParameterList().setValue("ROWCOUNT", 2);
    f.execute(dest);
    assertThat(rows(f)).containsExactly("0000100001", "0000100002");
    f.getImportParameterList().setValue("ROWSKIPS", 3);
    f.execute(dest);
    assertThat(rows(f)).containsExactly("0000100003");
  }

  @Test
  void noDataReturnsTheFieldsOnly() throws JCoException {
    JCoFunction f = readTable("KNA1", List.of("KUNNR"));
    f.getImportParameterList().setValue("NO_DATA", "X");
    f.execute(dest);
    assertThat(f.getTableParameterList().getTable("FIELDS").getNumRows()).isEqualTo(1);
    assertThat(rows(f)).isEmpty();
  }

  @Test
  void companyCodesAreInT001() throws JCoException {
    JCoFunction f = readTable("T001", List.of("BUKRS", "BUTXT", "WAERS"));
    f.getImportParameterList().setValue("DELIMITER", ";");
    f.execute(dest);
    assertThat(rows(f)).hasSize(2).first().isEqualTo("1000;Ferry Demo AG            ;EUR");
  }

  @Test
  void committedSalesOrdersAreInVbak() throws JCoException {
    JCoFunction f = readTable("VBAK", List.of("VBELN", "NETWR"));
    f.execute(dest);
    assertThat(rows(f)).isEmpty();
    JCoTable fields = f.getTableParameterList().getTable("FIELDS");
    fields.setRow(1);
    assertThat(fields.getString("TYPE")).isEqualTo("P");
  }

  @Test
  void eachExceptionHasItsKey() throws JCoException {
    assertThat(raised(readTable("ZNOTHERE", List.of())).getKey()).isEqualTo("TABLE_NOT_AVAILABLE");
    assertThat(raised(readTable("BAPIRET2", List.of())).getKey()).isEqualTo("TABLE_WITHOUT_DATA");
    assertThat(raised(readTable("USR02", List.of())).getKey()).isEqualTo("NOT_AUTHORIZED");
    assertThat(raised(readTable("KNA1", List.of("KUNNR", "NOFIELD"))).getKey()).isEqualTo("FIELD_NOT_VALID");
    assertThat(raised(readTable("KNA1", List.of(), "NOFIELD = 'X'")).getKey()).isEqualTo("OPTION_NOT_VALID");
    assertThat(raised(readTable("KNA1", List.of(), "LAND1 BETWEEN 'A' AND 'Z'")).getKey())
        .isEqualTo("OPTION_NOT_VALID");
    assertThat(raised(readTable("KNA1", List.of(), "LAND1 = 'DE")).getKey()).isEqualTo("OPTION_NOT_VALID");
    assertThat(raised(readTable("KNA1", List.of(), "LAND1 = 'DE' AND")).getKey()).isEqualTo("OPTION_NOT_VALID");
    List<String> wide = new ArrayList<>(List.of("NAME1", "NAME2", "NAME3", "NAME4", "ORT01", "ORT02", "STRAS"));
    wide.addAll(List.of("NAME1", "NAME2", "NAME3", "NAME4", "ORT01", "ORT02", "STRAS", "KUNNR", "LAND1")); // 503
    JCoFunction fits = readTable("KNA1", wide);
    fits.execute(dest);
    assertThat(rows(fits)).hasSize(1);
    wide.add("TELFX"); // 534: more than a 512-character line
    AbapException tooWide = raised(readTable("KNA1", wide));
    assertThat(tooWide.getKey()).isEqualTo("DATA_BUFFER_EXCEEDED");
    assertThat(tooWide.getGroup()).isEqualTo(JCoException.JCO_ERROR_ABAP_EXCEPTION);
  }
}
