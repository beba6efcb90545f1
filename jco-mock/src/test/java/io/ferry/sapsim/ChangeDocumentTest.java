package io.ferry.sapsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sap.conn.jco.JCoContext;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Change documents (CDHDR/CDPOS, object class DEBI) as a watcher reads them: RFC_READ_TABLE through JCo. */
class ChangeDocumentTest {

  /** 2026-12-07 09:00:00 UTC. The zone is Berlin's on purpose: the system writes UTC all the same. */
  private static final Instant START = Instant.parse("2026-12-07T09:00:00Z");

  private final SapSimulator sim = SapSimulator.instance();
  private MutableClock clock;
  private Clock previous;
  private JCoDestination dest;
  private Bapis bapi;

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("Europe/Berlin");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(now, zone);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void setUp() throws JCoException {
    clock = new MutableClock(START);
    previous = SapSimulator.useClock(clock);
    sim.reset();
    dest = TestDestinations.get(TestDestinations.SIM);
    bapi = new Bapis(dest);
  }

  @AfterEach
  void restoreClock() {
    SapSimulator.useClock(previous);
  }

  private String createCommitted(JCoDestination d, String name, String city) throws JCoException {
    Bapis b = new Bapis(d);
    JCoContext.begin(d);
    try {
      Bapis.Result r = b.create(name, city);
      assertThat(r.type()).isEqualTo("S");
      assertThat(b.commit().type()).isEmpty();
      return r.customerNumber();
    } finally {
      JCoContext.end(d);
    }
  }

  private void changeCityAndCurrency(String no, String city, String currency) throws JCoException {
    JCoFunction change = bapi.function(FunctionCatalog.CHANGE);
    change.getImportParameterList().setValue("CUSTOMERNO", no);
    change.getImportParameterList().setValue("PI_SALESORG", "1000");
    change.getImportParameterList().setValue("PI_DISTR_CHAN", "10");
    change.getImportParameterList().setValue("PI_DIVISION", "00");
    JCoStructure data = change.getImportParameterList().getStructure("PI_COMPANYDATA");
    data.setValue("CITY", city);
    data.setValue("CURRENCY", currency);
    JCoStructure x = change.getImportParameterList().getStructure("PI_COMPANYDATAX");
    x.setValue("CITY", "X");
    x.setValue("CURRENCY", "X");
    JCoContext.begin(dest);
    try {
      assertThat(bapi.run(change).type()).isEqualTo("S");
      assertThat(bapi.commit().type()).isEmpty();
    } finally {
      JCoContext.end(dest);
    }
  }

  /** RFC_READ_TABLE's rows, split on the delimiter {@code |} and trimmed. */
  private static List<List<String>> read(JCoDestination d, String table, List<String> fields, String... where)
      throws JCoException {
    JCoFunction f = d.getRepository().getFunction(FunctionCatalog.READ_TABLE);
    f.getImportParameterList().setValue("QUERY_TABLE", table);
    f.getImportParameterList().setValue("DELIMITER", "|");
    JCoTable fieldTable = f.getTableParameterList().getTable("FIELDS");
    for (String field : fields) {
      fieldTable.appendRow();
      fieldTable.setValue("FIELDNAME", field);
    }
    JCoTable options = f.getTableParameterList().getTable("OPTIONS");
    for (String line : where) {
      assertThat(line.length()).as("an OPTIONS row holds 72 characters").isLessThanOrEqualTo(72);
      options.appendRow();
      options.setValue("TEXT", line);
    }
    f.execute(d);
    JCoTable data = f.getTableParameterList().getTable("DATA");
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < data.getNumRows(); i++) {
      data.setRow(i);
      List<String> cells = new ArrayList<>();
      for (String cell : data.getString("WA").split("\\|", -1)) {
        cells.add(cell.strip());
      }
      out.add(cells);
    }
    return out;
  }

  private static final List<String> HEADER = List.of("OBJECTCLAS", "OBJECTID", "CHANGENR", "USERNAME", "UDATE",
      "UTIME", "TCODE", "CHANGE_IND");
  private static final List<String> POSITION = List.of("CHANGENR", "TABNAME", "TABKEY", "FNAME", "CHNGIND",
      "VALUE_NEW");

  /**
   * CDPOS rows of one change number with VALUE_OLD last: two calls, as VALUE_NEW and VALUE_OLD (254 each)
   * do not fit one 512-character data line together with the key, on SAP as here.
   */
  private static List<List<String>> positions(JCoDestination d, List<String> fields, String changeNumber)
      throws JCoException {
    String where = "CHANGENR EQ '" + changeNumber + "'";
    List<List<String>> rows = read(d, "CDPOS", fields, where);
    List<List<String>> old = read(d, "CDPOS", List.of("VALUE_OLD"), where);
    assertThat(old).hasSameSizeAs(rows);
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      List<String> row = new ArrayList<>(rows.get(i));
      row.add(old.get(i).get(0));
      out.add(row);
    }
    return out;
  }

  @Test
  void createThenChangeWritesAnInsertThenAnUpdateWithTheChangedFields() throws JCoException {
    String no = createCommitted(dest, "Acme GmbH", "Berlin");
    clock.advance(Duration.ofMinutes(75).plusSeconds(7));
    changeCityAndCurrency(no, "Hamburg", "USD");

    assertThat(read(dest, "CDHDR", HEADER, "OBJECTID EQ '" + no + "'")).containsExactly(
        List.of("DEBI", no, "0000000001", "FERRY", "20261207", "090000", "XD01", "I"),
        List.of("DEBI", no, "0000000002", "FERRY", "20261207", "101507", "XD02", "U"));

    assertThat(positions(dest, POSITION, "0000000001")).containsExactly(
        List.of("0000000001", "KNA1", "100" + no, "KEY", "I", "", ""),
        List.of("0000000001", "KNVV", "100" + no + "10001000", "KEY", "I", "", ""),
        List.of("0000000001", "KNB1", "100" + no + "1000", "KEY", "I", "", ""));
    assertThat(positions(dest, POSITION, "0000000002")).containsExactly(
        List.of("0000000002", "KNA1", "100" + no, "ORT01", "U", "Hamburg", "Berlin"),
        List.of("0000000002", "KNVV", "100" + no + "10001000", "WAERS", "U", "USD", "EUR"));
  }

  @Test
  void aChangeThatChangesNothingWritesNoDocument() throws JCoException {
    String no = createCommitted(dest, "Acme GmbH", "Berlin");
    changeCityAndCurrency(no, "Berlin", "EUR");
    assertThat(read(dest, "CDHDR", HEADER, "OBJECTID EQ '" + no + "'")).hasSize(1);
  }

  @Test
  void aRolledBackCreateWritesNoDocument() throws JCoException {
    JCoContext.begin(dest);
    try {
      assertThat(bapi.create("Never GmbH", "Bonn").type()).isEqualTo("S");
      bapi.rollback();
    } finally {
      JCoContext.end(dest);
    }
    assertThat(read(dest, "CDHDR", HEADER)).isEmpty();
  }

  @Test
  void theWatchersNestedWhereClauseReturnsOnlyTheNewerHeaders() throws JCoException {
    clock = new MutableClock(Instant.parse("2026-12-06T23:00:00Z"));
    SapSimulator.useClock(clock);
    String day1 = createCommitted(dest, "Yesterday AG", "Berlin"); // 20261206 230000
    clock.advance(Duration.ofHours(11)); // 20261207 100000: before the watermark's time
    String early = createCommitted(dest, "Early AG", "Berlin");
    clock.advance(Duration.ofMinutes(15)); // 20261207 101500: at it
    String atMark = createCommitted(dest, "Watermark AG", "Berlin");
    clock.advance(Duration.ofDays(1).minusHours(2)); // 20261208 081500: a later day, an earlier time
    sim.changeCustomerDirectly(day1, Map.of("NAME1", "Yesterday AG renamed"));

    List<List<String>> rows = read(dest, "CDHDR", List.of("OBJECTID", "UDATE", "UTIME", "CHANGE_IND"),
        "OBJECTCLAS EQ 'DEBI' AND ( UDATE GT '20261207' OR",
        "( UDATE EQ '20261207' AND UTIME GE '101500' ) )");
    assertThat(rows).containsExactlyInAnyOrder(
        List.of(atMark, "20261207", "101500", "I"),
        List.of(day1, "20261208", "081500", "U"));
    assertThat(rows).extracting(r -> r.get(0)).doesNotContain(early);

    // The creations side of the watermark: KNA1-ERDAT is the day only.
    assertThat(read(dest, "KNA1", List.of("KUNNR"), "ERDAT GE '20261207'"))
        .containsExactlyInAnyOrder(List.of(early), List.of(atMark));
  }

  @Test
  void aDirectChangeIsLoggedAsAClerksXd02() throws JCoException {
    String no = createCommitted(dest, "Acme GmbH", "Berlin");
    clock.advance(Duration.ofSeconds(30));
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("NAME1", "Acme Europe GmbH");
    fields.put("TELF1", "+49 30 1234");
    assertThat(sim.changeCustomerDirectly(no, fields)).contains("0000000002");

    assertThat(sim.customer(no).orElseThrow()).containsEntry("NAME1", "Acme Europe GmbH");
    assertThat(read(dest, "CDHDR", HEADER, "CHANGENR EQ '0000000002'")).containsExactly(
        List.of("DEBI", no, "0000000002", "CLERK", "20261207", "090030", "XD02", "U"));
    assertThat(positions(dest, POSITION, "0000000002")).containsExactly(
        List.of("0000000002", "KNA1", "100" + no, "NAME1", "U", "Acme Europe GmbH", "Acme GmbH"),
        List.of("0000000002", "KNA1", "100" + no, "TELF1", "U", "+49 30 1234", ""));
    // Nothing new: no document.
    assertThat(sim.changeCustomerDirectly(no, Map.of("NAME1", "Acme Europe GmbH"))).isEmpty();
  }

  @Test
  void aDirectChangeIsRefusedWhileASessionHoldsTheLockAndForUnknownFields() throws JCoException {
    String no = createCommitted(dest, "Acme GmbH", "Berlin");
    assertThatThrownBy(() -> sim.changeCustomerDirectly(no, Map.of("ERDAT", "20200101")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KNA1-ERDAT");
    assertThatThrownBy(() -> sim.changeCustomerDirectly("0000999999", Map.of("NAME1", "x")))
        .isInstanceOf(IllegalArgumentException.class);
    JCoFunction change = bapi.function(FunctionCatalog.CHANGE);
    change.getImportParameterList().setValue("CUSTOMERNO", no);
    change.getImportParameterList().getStructure("PI_COMPANYDATA").setValue("CITY", "Bonn");
    change.getImportParameterList().getStructure("PI_COMPANYDATAX").setValue("CITY", "X");
    JCoContext.begin(dest);
    try {
      assertThat(bapi.run(change).type()).isEqualTo("S");
      assertThatThrownBy(() -> sim.changeCustomerDirectly(no, Map.of("NAME1", "Clerk's")))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("FERRY");
      bapi.commit();
    } finally {
      JCoContext.end(dest);
    }
    assertThat(sim.customer(no).orElseThrow()).containsEntry("NAME1", "Acme GmbH");
  }

  @Test
  void anOrderBlockIsLoggedAsAChangeOfAufsd() throws JCoException {
    String no = createCommitted(dest, "Acme GmbH", "Berlin");
    sim.blockOrders(no);
    sim.blockOrders(no); // already blocked: nothing changes, nothing logged
    assertThat(positions(dest, List.of("FNAME", "VALUE_NEW"), "0000000002"))
        .containsExactly(List.of("AUFSD", "01", ""));
    assertThat(read(dest, "CDHDR", HEADER)).hasSize(2);
  }

  @Test
  void cdhdrAndCdposDescribeThemselvesWithSapsFieldsTypesAndLengths() throws JCoException {
    JCoFunction f = dest.getRepository().getFunction(FunctionCatalog.READ_TABLE);
    f.getImportParameterList().setValue("QUERY_TABLE", "CDHDR");
    f.getImportParameterList().setValue("NO_DATA", "X");
    f.execute(dest);
    JCoTable fields = f.getTableParameterList().getTable("FIELDS");
    Map<String, String> shape = new LinkedHashMap<>();
    int width = 0;
    for (int i = 0; i < fields.getNumRows(); i++) {
      fields.setRow(i);
      shape.put(fields.getString("FIELDNAME"), fields.getString("TYPE") + fields.getInt("LENGTH"));
      width += fields.getInt("LENGTH");
    }
    assertThat(shape).containsExactly(Map.entry("MANDANT", "C3"), Map.entry("OBJECTCLAS", "C15"),
        Map.entry("OBJECTID", "C90"), Map.entry("CHANGENR", "C10"), Map.entry("USERNAME", "C12"),
        Map.entry("UDATE", "D8"), Map.entry("UTIME", "T6"), Map.entry("TCODE", "C20"),
        Map.entry("PLANCHNGNR", "C12"), Map.entry("ACT_CHNGNO", "C10"), Map.entry("WAS_PLANND", "C1"),
        Map.entry("CHANGE_IND", "C1"), Map.entry("LANGU", "C1"), Map.entry("VERSION", "C3"));
    assertThat(width).isEqualTo(192);

    // CDPOS is 774 wide: all of it does not fit a data line, as on SAP.
    JCoFunction all = dest.getRepository().getFunction(FunctionCatalog.READ_TABLE);
    all.getImportParameterList().setValue("QUERY_TABLE", "CDPOS");
    try {
      all.execute(dest);
      throw new AssertionError("CDPOS with every column must not fit");
    } catch (com.sap.conn.jco.AbapException e) {
      assertThat(e.getKey()).isEqualTo("DATA_BUFFER_EXCEEDED");
      assertThat(e.getMessage()).contains("774");
    }
  }

  @Test
  void theDataFileKeepsChangeDocumentsAndTheirNumberRange(@TempDir Path dir) throws JCoException {
    Path file = dir.resolve("sap.json");
    JCoDestination d = TestDestinations.get(TestDestinations.define("jco.mock.data_file", file.toString()));
    String no = createCommitted(d, "Kept GmbH", "Berlin");
    SapSimulator.forDataFile(file).changeCustomerDirectly(no, Map.of("ORT01", "Potsdam"));

    SapSimulator.unload(file); // a restart
    assertThat(read(d, "CDHDR", List.of("CHANGENR", "CHANGE_IND"))).containsExactly(
        List.of("0000000001", "I"), List.of("0000000002", "U"));
    assertThat(positions(d, List.of("FNAME", "VALUE_NEW"), "0000000002"))
        .containsExactly(List.of("ORT01", "Potsdam", "Berlin"));
    // The number range went on where it was.
    assertThat(SapSimulator.forDataFile(file).changeCustomerDirectly(no, Map.of("ORT01", "Bonn")))
        .contains("0000000003");
  }
}
