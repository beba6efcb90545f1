package io.ferry.sapsim;

import com.sap.conn.jco.JCoParameterList;
import com.sap.conn.jco.JCoRecord;
import com.sap.conn.jco.JCoTable;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The echo functions for tests of the type mapping: {@code Z_FERRY_ECHO_TYPES} (the simulator's own) and
 * SAP's test module {@code STFC_STRUCTURE}. Each hands back what it was given, value by value through the
 * JCo setters, so a round trip JSON → SAP → JSON shows every conversion both ways.
 */
final class EchoTypes {

  static final String ECHO = "Z_FERRY_ECHO_TYPES";
  /** What EV_OPTIONAL carries when the caller leaves IV_OPTIONAL out (IV_OPTIONAL's declared default). */
  static final String OPTIONAL_DEFAULT = "FERRY";

  private EchoTypes() {}

  static void echo(Call call) {
    JCoParameterList in = call.imports();
    JCoParameterList out = call.exports();
    copy(in.getStructure("IS_ALL"), out.getStructure("ES_ALL"));
    out.setValue("EV_CHAR", in.getValue("IV_CHAR"));
    out.setValue("EV_INT", in.getValue("IV_INT"));
    out.setValue("EV_AMOUNT", in.getValue("IV_AMOUNT"));
    out.setValue("EV_DATE", in.getValue("IV_DATE"));
    // An optional import the caller did not set has its default, as in ABAP.
    out.setValue("EV_OPTIONAL", in.isInitialized("IV_OPTIONAL") ? in.getString("IV_OPTIONAL") : OPTIONAL_DEFAULT);
    JCoParameterList changing = call.function().getChangingParameterList();
    changing.setValue("CV_COUNTER", changing.getInt("CV_COUNTER") + 1);
    JCoTable rows = call.tables().getTable("IT_ROWS");
    JCoTable echoed = call.tables().getTable("ET_ROWS");
    echoed.deleteAllRows();
    for (int i = 0; i < rows.getNumRows(); i++) {
      rows.setRow(i);
      echoed.appendRow();
      copy(rows, echoed);
    }
  }

  /** STFC_STRUCTURE: ECHOSTRUCT is IMPORTSTRUCT, RFCTABLE gets it as one more row, RESPTEXT says who answered. */
  static void stfcStructure(Call call) {
    JCoRecord in = call.imports().getStructure("IMPORTSTRUCT");
    copy(in, call.exports().getStructure("ECHOSTRUCT"));
    JCoTable table = call.tables().getTable("RFCTABLE");
    table.appendRow();
    copy(in, table);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalTime now = LocalTime.now(ZoneOffset.UTC);
    call.exports().setValue("RESPTEXT", "SAP R/3 Rel. 750   Sysid: " + SapSystem.SYSTEM_ID + "      Date: "
        + today.format(DateTimeFormatter.BASIC_ISO_DATE) + "   Time: " + now.format(DateTimeFormatter.ofPattern("HHmmss"))
        + "   Logon_Data: " + call.session().client() + "/" + call.session().user() + "/E");
  }

  private static void copy(JCoRecord from, JCoRecord to) {
    for (int i = 0; i < from.getFieldCount(); i++) {
      to.setValue(i, from.getValue(i));
    }
  }
}
