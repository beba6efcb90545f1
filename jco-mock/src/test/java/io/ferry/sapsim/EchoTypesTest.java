package io.ferry.sapsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sap.conn.jco.ConversionException;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoField;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoParameterList;
import com.sap.conn.jco.JCoRecord;
import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every ABAP type there and back through Z_FERRY_ECHO_TYPES and STFC_STRUCTURE, through the JCo API only. */
class EchoTypesTest {

  private static final byte[] SIXTEEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) 0xFF};

  private JCoDestination dest;
  private JCoFunction echo;

  @BeforeEach
  void setUp() throws JCoException {
    SapSimulator.instance().reset();
    dest = TestDestinations.get(TestDestinations.SIM);
    echo = dest.getRepository().getFunction("Z_FERRY_ECHO_TYPES");
    JCoParameterList in = echo.getImportParameterList();
    in.setValue("IV_CHAR", "scalar");
    in.setValue("IV_INT", 7);
    in.setValue("IV_AMOUNT", new BigDecimal("12.5"));
  }

  private static Date utc(String instant) {
    return Date.from(Instant.parse(instant));
  }

  private static void fill(JCoRecord s) {
    s.setValue("CHAR10", "abc   ");
    s.setValue("NUMC8", "42");
    s.setValue("TEXT", "keeps trailing blanks  ");
    s.setValue("INT4", (Object) Integer.valueOf(-2_000_000_000));
    s.setValue("INT2", -32768);
    s.setValue("INT1", 255);
    s.setValue("AMOUNT", new BigDecimal("1234567890123.4"));
    s.setValue("QUANTITY", (Object) new BigDecimal("0.125"));
    s.setValue("FLOAT", 1.0e-3);
    s.setValue("DATE", (Object) utc("2026-12-07T00:00:00Z"));
    s.setValue("TIME", "23:59:58");
    s.setValue("RAW16", (Object) SIXTEEN);
    s.setValue("BYTES", (Object) new byte[] {0, 1, 2});
  }

  @Test
  void everyTypeComesBackAsItWasSent() throws JCoException {
    fill(echo.getImportParameterList().getStructure("IS_ALL"));
    echo.execute(dest);
    JCoStructure out = echo.getExportParameterList().getStructure("ES_ALL");
    assertThat(out.getString("CHAR10")).isEqualTo("abc");
    assertThat(out.getString("NUMC8")).isEqualTo("00000042");
    assertThat(out.getValue("NUMC8")).isEqualTo("00000042");
    assertThat(out.getString("TEXT")).isEqualTo("keeps trailing blanks  ");
    assertThat(out.getValue("INT4")).isEqualTo(-2_000_000_000);
    assertThat(out.getInt("INT2")).isEqualTo(-32768);
    assertThat(out.getInt("INT1")).isEqualTo(255);
    assertThat(out.getValue("AMOUNT")).isEqualTo(new BigDecimal("1234567890123.40"));
    assertThat(out.getBigDecimal("QUANTITY")).isEqualTo(new BigDecimal("0.125"));
    assertThat(out.getValue("FLOAT")).isEqualTo(1.0e-3);
    assertThat(out.getDouble("FLOAT")).isEqualTo(1.0e-3);
    assertThat(out.getDate("DATE")).isEqualTo(utc("2026-12-07T00:00:00Z"));
    assertThat(out.getString("DATE")).isEqualTo("2026-12-07");
    assertThat(out.getTime("TIME")).isEqualTo(utc("1970-01-01T23:59:58Z"));
    assertThat(out.getString("TIME")).isEqualTo("23:59:58");
    assertThat(out.getByteArray("RAW16")).isEqualTo(SIXTEEN);
    assertThat(out.getString("RAW16")).isEqualTo("0102030405060708090A0B0C0D0E0FFF");
    assertThat(out.getByteArray("BYTES")).containsExactly(0, 1, 2);

    JCoParameterList exports = echo.getExportParameterList();
    assertThat(exports.getString("EV_CHAR")).isEqualTo("scalar");
    assertThat(exports.getInt("EV_INT")).isEqualTo(7);
    assertThat(exports.getBigDecimal("EV_AMOUNT")).isEqualTo(new BigDecimal("12.50"));
  }

  @Test
  void initialValuesReadAsJCoReadsThem() throws JCoException {
    echo.execute(dest);
    JCoStructure out = echo.getExportParameterList().getStructure("ES_ALL");
    assertThat(out.getDate("DATE")).isNull();
    assertThat(out.getString("DATE")).isEqualTo("0000-00-00");
    assertThat(out.getString("NUMC8")).isEqualTo("00000000");
    assertThat(out.getBigDecimal("AMOUNT")).isEqualTo(new BigDecimal("0.00"));
    assertThat(out.getByteArray("RAW16")).isEqualTo(new byte[16]);
    assertThat(out.getByteArray("BYTES")).isEmpty();
    assertThat(out.getTime("TIME")).isEqualTo(utc("1970-01-01T00:00:00Z"));
    assertThat(echo.getExportParameterList().getDate("EV_DATE")).isNull();
  }

  @Test
  void dateInitialAsTextIsNull() throws JCoException {
    echo.getImportParameterList().setValue("IV_DATE", "00000000");
    echo.getImportParameterList().getStructure("IS_ALL").setValue("DATE", "20261231");
    echo.execute(dest);
    assertThat(echo.getExportParameterList().getDate("EV_DATE")).isNull();
    assertThat(echo.getExportParameterList().getStructure("ES_ALL").getDate("DATE"))
        .isEqualTo(utc("2026-12-31T00:00:00Z"));
  }

  @Test
  void optionalImportTakesItsDefaultAndChangingComesBackChanged() throws JCoException {
    echo.getChangingParameterList().setValue("CV_COUNTER", 41);
    echo.execute(dest);
    assertThat(echo.getExportParameterList().getString("EV_OPTIONAL")).isEqualTo("FERRY");
    assertThat(echo.getChangingParameterList().getInt("CV_COUNTER")).isEqualTo(42);
    echo.getImportParameterList().setValue("IV_OPTIONAL", "given");
    echo.execute(dest);
    assertThat(echo.getExportParameterList().getString("EV_OPTIONAL")).isEqualTo("given");
  }

  @Test
  void tableRowsAreEchoed() throws JCoException {
    JCoTable rows = echo.getTableParameterList().getTable("IT_ROWS");
    rows.appendRow();
    fill(rows);
    rows.appendRow();
    rows.setValue("NUMC8", "7");
    rows.setValue("AMOUNT", "-0.5");
    echo.execute(dest);
    JCoTable out = echo.getTableParameterList().getTable("ET_ROWS");
    assertThat(out.getNumRows()).isEqualTo(2);
    out.setRow(0);
    assertThat(out.getByteArray("RAW16")).isEqualTo(SIXTEEN);
    out.setRow(1);
    assertThat(out.getString("NUMC8")).isEqualTo("00000007");
    assertThat(out.getBigDecimal("AMOUNT")).isEqualTo(new BigDecimal("-0.50"));
    assertThat(out.getDate("DATE")).isNull();
  }

  @Test
  void valuesATypeCannotTakeAreRefused() {
    JCoStructure s = echo.getImportParameterList().getStructure("IS_ALL");
    assertThatThrownBy(() -> s.setValue("INT4", "twelve")).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("INT4", (Object) new Date())).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("INT4", 1.5)).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("INT1", 256)).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("INT1", -1)).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("INT2", 32768)).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("NUMC8", "12a")).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("NUMC8", "123456789")).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("CHAR10", "eleven char")).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("CHAR10", (Object) new byte[] {1})).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("DATE", 20261207)).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("DATE", "2026-13-01")).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("TIME", "25:00:00")).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("RAW16", (Object) new byte[17])).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("RAW16", "not hex")).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.setValue("AMOUNT", "1.2.3")).isInstanceOf(ConversionException.class);
    // P 8 DECIMALS 2 holds 13 digits before the point.
    assertThatThrownBy(() -> s.setValue("AMOUNT", new BigDecimal("12345678901234"))).isInstanceOf(ConversionException.class);
    assertThatThrownBy(() -> s.getByteArray("CHAR10")).isInstanceOf(ConversionException.class);
  }

  @Test
  void packedValuesKeepTheFieldsScaleAndRoundHalfUp() {
    JCoStructure s = echo.getImportParameterList().getStructure("IS_ALL");
    s.setValue("AMOUNT", 5);
    assertThat(s.getBigDecimal("AMOUNT")).isEqualTo(new BigDecimal("5.00"));
    s.setValue("AMOUNT", new BigDecimal("1.005"));
    assertThat(s.getBigDecimal("AMOUNT")).isEqualTo(new BigDecimal("1.01"));
    s.setValue("QUANTITY", "2");
    assertThat(s.getString("QUANTITY")).isEqualTo("2.000");
  }

  @Test
  void fieldsHandOutTheSameValuesAsTheRecord() throws JCoException {
    fill(echo.getImportParameterList().getStructure("IS_ALL"));
    echo.execute(dest);
    JCoStructure out = echo.getExportParameterList().getStructure("ES_ALL");
    for (JCoField f : out) {
      switch (f.getName()) {
        case "RAW16" -> assertThat(f.getByteArray()).isEqualTo(SIXTEEN);
        case "TIME" -> assertThat(f.getTime()).isEqualTo(utc("1970-01-01T23:59:58Z"));
        case "FLOAT" -> assertThat(f.getDouble()).isEqualTo(1.0e-3);
        case "INT4" -> assertThat(f.getLong()).isEqualTo(-2_000_000_000L);
        default -> assertThat(f.getString()).isEqualTo(out.getString(f.getName()));
      }
    }
  }

  @Test
  void stfcStructureEchoesRfcTestAndAppendsItToTheTable() throws JCoException {
    JCoFunction f = dest.getRepository().getFunction("STFC_STRUCTURE");
    JCoStructure in = f.getImportParameterList().getStructure("IMPORTSTRUCT");
    in.setValue("RFCFLOAT", 1.5);
    in.setValue("RFCCHAR1", "A");
    in.setValue("RFCINT2", 2);
    in.setValue("RFCINT1", 1);
    in.setValue("RFCCHAR4", "ABCD");
    in.setValue("RFCINT4", 4);
    in.setValue("RFCHEX3", "0A0B0C");
    in.setValue("RFCTIME", "120000");
    in.setValue("RFCDATE", "2026-12-07");
    in.setValue("RFCDATA1", "data");
    JCoTable table = f.getTableParameterList().getTable("RFCTABLE");
    table.appendRow();
    table.setValue("RFCCHAR4", "ROW1");
    f.execute(dest);
    JCoStructure echoed = f.getExportParameterList().getStructure("ECHOSTRUCT");
    assertThat(echoed.getDouble("RFCFLOAT")).isEqualTo(1.5);
    assertThat(echoed.getByteArray("RFCHEX3")).containsExactly(10, 11, 12);
    assertThat(echoed.getString("RFCTIME")).isEqualTo("12:00:00");
    assertThat(echoed.getString("RFCDATA1")).isEqualTo("data");
    assertThat(table.getNumRows()).isEqualTo(2);
    table.setRow(1);
    assertThat(table.getString("RFCCHAR4")).isEqualTo("ABCD");
    assertThat(f.getExportParameterList().getString("RESPTEXT")).contains("Sysid: FRY").contains("/FERRY/");
  }
}
