package io.ferry.sapsim;

import com.sap.conn.jco.AbapException;
import com.sap.conn.jco.JCoTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code RFC_READ_TABLE}: rows of one of the simulator's tables ({@link DbTables}) as text lines of up to
 * 512 characters. FIELDS names the columns (none: all, and FIELDS is filled with them); each comes back
 * with its OFFSET, LENGTH, TYPE and FIELDTEXT. A DATA line holds the columns at their offsets, or with
 * DELIMITER between them (every column keeps its width, as SAP's does). OPTIONS is a WHERE clause
 * ({@link WhereClause}); ROWSKIPS skips that many hits and ROWCOUNT (0: all) caps the rest.
 */
final class ReadTable {

  static final String TABLE_NOT_AVAILABLE = "TABLE_NOT_AVAILABLE";
  static final String TABLE_WITHOUT_DATA = "TABLE_WITHOUT_DATA";
  static final String OPTION_NOT_VALID = "OPTION_NOT_VALID";
  static final String FIELD_NOT_VALID = "FIELD_NOT_VALID";
  static final String NOT_AUTHORIZED = "NOT_AUTHORIZED";
  static final String DATA_BUFFER_EXCEEDED = "DATA_BUFFER_EXCEEDED";

  private static final int LINE_WIDTH = 512;

  private ReadTable() {}

  static void read(Call call) throws AbapException {
    String name = call.importString("QUERY_TABLE").strip();
    if (DbTables.PROTECTED.contains(name)) {
      throw new AbapException(NOT_AUTHORIZED, "No authorization to display table " + name);
    }
    if (Ddic.structure(name) != null) {
      // A DDIC structure has fields but no rows in the database.
      throw new AbapException(TABLE_WITHOUT_DATA, name + " is a structure, not a database table");
    }
    DbTable table = DbTables.read(name, call.system(), call.session().client())
        .orElseThrow(() -> new AbapException(TABLE_NOT_AVAILABLE, "Table " + name + " is not available"));

    String delimiter = call.imports().getString("DELIMITER");
    int gap = delimiter.isEmpty() ? 0 : 1;
    JCoTable fields = call.tables().getTable("FIELDS");
    List<DbTable.Column> selected = selectedColumns(table, fields);
    fields.deleteAllRows();
    int offset = 0;
    for (DbTable.Column c : selected) {
      fields.appendRow();
      fields.setValue("FIELDNAME", c.name());
      fields.setValue("OFFSET", offset);
      fields.setValue("LENGTH", c.length());
      fields.setValue("TYPE", String.valueOf(c.abapType()));
      fields.setValue("FIELDTEXT", c.text());
      offset += c.length() + gap;
    }
    if (offset - gap > LINE_WIDTH) {
      throw new AbapException(DATA_BUFFER_EXCEEDED, "The selected fields are " + (offset - gap)
          + " characters wide; a data line holds " + LINE_WIDTH);
    }

    Predicate<Map<String, String>> where;
    try {
      where = WhereClause.parse(whereText(call.tables().getTable("OPTIONS")), table);
    } catch (WhereClause.Invalid e) {
      throw new AbapException(OPTION_NOT_VALID, e.getMessage());
    }
    JCoTable data = call.tables().getTable("DATA");
    data.deleteAllRows();
    if (!call.imports().getString("NO_DATA").isEmpty()) {
      return;
    }
    int skip = Math.max(0, call.imports().getInt("ROWSKIPS"));
    int count = call.imports().getInt("ROWCOUNT");
    for (Map<String, String> row : table.rows()) {
      if (!where.test(row)) {
        continue;
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      if (count > 0 && data.getNumRows() >= count) {
        break;
      }
      data.appendRow();
      data.setValue("WA", line(row, selected, delimiter));
    }
  }

  private static List<DbTable.Column> selectedColumns(DbTable table, JCoTable fields) throws AbapException {
    if (fields.isEmpty()) {
      return table.columns();
    }
    List<DbTable.Column> selected = new ArrayList<>();
    for (int i = 0; i < fields.getNumRows(); i++) {
      fields.setRow(i);
      String fieldName = fields.getString("FIELDNAME").strip();
      DbTable.Column c = table.column(fieldName);
      if (c == null) {
        throw new AbapException(FIELD_NOT_VALID, "Field " + fieldName + " is not in table " + table.name());
      }
      selected.add(c);
    }
    return selected;
  }

  private static String whereText(JCoTable options) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < options.getNumRows(); i++) {
      options.setRow(i);
      sb.append(options.getString("TEXT")).append(' ');
    }
    return sb.toString();
  }

  private static String line(Map<String, String> row, List<DbTable.Column> columns, String delimiter) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        sb.append(delimiter);
      }
      DbTable.Column c = columns.get(i);
      sb.append(c.cell(row.get(c.name())));
    }
    return sb.toString();
  }
}
