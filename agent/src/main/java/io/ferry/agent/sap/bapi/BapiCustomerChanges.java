package io.ferry.agent.sap.bapi;

import com.sap.conn.jco.AbapException;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoRuntimeException;
import com.sap.conn.jco.JCoTable;
import io.ferry.agent.changes.CustomerChangePort;
import io.ferry.agent.changes.FoundChange;
import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Customers' changes read with {@code RFC_READ_TABLE} (the {@code CHANGEDOCUMENT_READ_*} functions are not
 * remote-enabled; nothing is installed in SAP):
 *
 * <ul>
 *   <li>the change document headers {@code CDHDR} of object class {@code DEBI} recorded at or after the time asked
 *       ({@code UDATE}/{@code UTIME}): {@code CHANGE_IND I} is the creation, any other a change;
 *   <li>customers created on or after that day by {@code KNA1-ERDAT}, for creations without a change document: the
 *       creation's time is its {@code I} header's when there is one, else the start of {@code ERDAT} (KNA1 keeps no
 *       time), which is the same on every scan, so its event id is too.
 * </ul>
 *
 * Every read is paged ({@code ROWSKIPS}/{@code ROWCOUNT}). The user needs S_TABU_DIS / S_TABU_NAM for CDHDR and
 * KNA1 besides S_RFC for RFC_READ_TABLE (docs/changes.md).
 */
final class BapiCustomerChanges implements CustomerChangePort {

  static final String READ_TABLE = "RFC_READ_TABLE";
  /** Rows per call: DATA rows are 512 characters, far below SAP's buffers at this count. */
  static final int PAGE = 500;
  private static final String DELIMITER = "|";
  private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

  private final String destinationName;
  private final CallPolicy calls;
  private final int page;

  BapiCustomerChanges(String destinationName, CallPolicy calls) {
    this(destinationName, calls, PAGE);
  }

  /** @param page rows per RFC_READ_TABLE call (a test pages with a few) */
  BapiCustomerChanges(String destinationName, CallPolicy calls, int page) {
    this.destinationName = destinationName;
    this.calls = calls;
    this.page = page;
  }

  @Override
  public List<FoundChange> since(LocalDateTime from) throws SapException {
    Rfc rfc = Rfc.connect(destinationName, calls);
    try {
      return since(rfc, from);
    } catch (JCoException e) {
      throw JcoErrors.map(e, destinationName, "reading change documents");
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, destinationName, "reading change documents");
    }
  }

  private List<FoundChange> since(Rfc rfc, LocalDateTime from) throws JCoException, SapException {
    String day = DATE.format(from.toLocalDate());
    String time = TIME.format(from.toLocalTime());
    List<FoundChange> found = new ArrayList<>();
    for (Map<String, String> row : read(rfc, "CDHDR", List.of("OBJECTID", "CHANGENR", "UDATE", "UTIME", "CHANGE_IND"),
        List.of("OBJECTCLAS EQ 'DEBI'", "AND ( UDATE GT '" + day + "'",
            "OR ( UDATE EQ '" + day + "' AND UTIME GE '" + time + "' ) )"))) {
      found.add(new FoundChange(number(row.get("OBJECTID")), at(row.get("UDATE"), row.get("UTIME")),
          "I".equals(row.get("CHANGE_IND"))));
    }
    List<Map<String, String>> createdRows = read(rfc, "KNA1", List.of("KUNNR", "ERDAT"),
        List.of("ERDAT GE '" + day + "'"));
    if (!createdRows.isEmpty()) {
      // The creation headers of those days, read once: a customer created with a change document has its time.
      Map<String, LocalDateTime> createdAt = new HashMap<>();
      for (Map<String, String> row : read(rfc, "CDHDR", List.of("OBJECTID", "UDATE", "UTIME"),
          List.of("OBJECTCLAS EQ 'DEBI' AND CHANGE_IND EQ 'I'", "AND UDATE GE '" + day + "'"))) {
        createdAt.putIfAbsent(number(row.get("OBJECTID")), at(row.get("UDATE"), row.get("UTIME")));
      }
      for (Map<String, String> row : createdRows) {
        String number = number(row.get("KUNNR"));
        LocalDateTime at = createdAt.get(number);
        found.add(new FoundChange(number, at != null ? at : at(row.get("ERDAT"), "000000"), true));
      }
    }
    return found;
  }

  /** Every row of {@code table} matching {@code where}, page by page; each row's fields by name, trimmed. */
  private List<Map<String, String>> read(Rfc rfc, String table, List<String> fields, List<String> where)
      throws JCoException, SapException {
    List<Map<String, String>> rows = new ArrayList<>();
    for (int skip = 0; ; skip += page) {
      JCoFunction f = rfc.function(READ_TABLE);
      f.getImportParameterList().setValue("QUERY_TABLE", table);
      f.getImportParameterList().setValue("DELIMITER", DELIMITER);
      f.getImportParameterList().setValue("ROWSKIPS", skip);
      f.getImportParameterList().setValue("ROWCOUNT", page);
      JCoTable options = f.getTableParameterList().getTable("OPTIONS");
      for (String line : where) {
        options.appendRow();
        options.setValue("TEXT", line);
      }
      JCoTable names = f.getTableParameterList().getTable("FIELDS");
      for (String name : fields) {
        names.appendRow();
        names.setValue("FIELDNAME", name);
      }
      try {
        rfc.execute(f);
      } catch (AbapException e) {
        if ("TABLE_WITHOUT_DATA".equals(e.getKey())) {
          return rows;
        }
        throw JcoErrors.configuration("RFC_READ_TABLE refused to read " + table + " (" + e.getKey() + "): "
            + ("NOT_AUTHORIZED".equals(e.getKey()) ? "grant the agent's SAP user S_TABU_DIS (or S_TABU_NAM) for "
                + table : "report this to the Ferry maintainers with the agent's log"), e);
      }
      JCoTable data = f.getTableParameterList().getTable("DATA");
      JCoTable layout = f.getTableParameterList().getTable("FIELDS");
      int count = data.getNumRows();
      for (int i = 0; i < count; i++) {
        data.setRow(i);
        rows.add(row(data.getString("WA"), fields, layout));
      }
      if (count < page) {
        return rows;
      }
    }
  }

  /** One DATA row: split at the delimiter, or by FIELDS' offsets when it holds fewer parts than fields. */
  private static Map<String, String> row(String wa, List<String> fields, JCoTable layout) {
    Map<String, String> row = new HashMap<>();
    String[] parts = wa.split(java.util.regex.Pattern.quote(DELIMITER), -1);
    if (parts.length >= fields.size()) {
      for (int i = 0; i < fields.size(); i++) {
        row.put(fields.get(i), parts[i].strip());
      }
      return row;
    }
    for (int i = 0; i < layout.getNumRows(); i++) {
      layout.setRow(i);
      int offset = layout.getInt("OFFSET");
      int length = layout.getInt("LENGTH");
      String value = offset >= wa.length() ? "" : wa.substring(offset, Math.min(wa.length(), offset + length));
      row.put(layout.getString("FIELDNAME").strip(), value.strip());
    }
    return row;
  }

  /** The customer number as Ferry answers it (leading zeros); as SAP wrote it when the conversion does not apply. */
  private static String number(String sapValue) {
    try {
      return io.ferry.agent.sap.SapConversions.toExternalCustomerNumber(sapValue);
    } catch (IllegalArgumentException e) {
      return sapValue.strip();
    }
  }

  private static LocalDateTime at(String date, String time) {
    LocalDate d = LocalDate.parse(date.replace("-", ""), DATE);
    String t = time == null || time.isBlank() ? "000000" : time.replace(":", "");
    return LocalDateTime.of(d, LocalTime.parse(t, TIME));
  }
}
