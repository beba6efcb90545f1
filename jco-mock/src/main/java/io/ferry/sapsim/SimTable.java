package io.ferry.sapsim;

import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoRecordMetaData;
import com.sap.conn.jco.JCoRuntimeException;
import com.sap.conn.jco.JCoTable;
import java.util.ArrayList;
import java.util.List;

/** An internal table: rows of one line type and a row pointer the record accessors follow. */
final class SimTable extends SimRecord implements JCoTable {

  private static final long serialVersionUID = 1L;

  private record Row(Object[] values, boolean[] initialized) {
    Row copy() {
      return new Row(deepCopy(values), initialized.clone());
    }
  }

  private final RecordMeta meta;
  private final List<Row> rows;
  private int row = -1;

  SimTable(RecordMeta meta) {
    this.meta = meta;
    this.rows = new ArrayList<>();
  }

  private SimTable(RecordMeta meta, List<Row> rows, int row) {
    this.meta = meta;
    this.rows = rows;
    this.row = row;
  }

  private Row current() {
    if (row < 0 || row >= rows.size()) {
      throw new JCoRuntimeException(JCoException.JCO_ERROR_ILLEGAL_ARGUMENT, "JCO_ERROR_ILLEGAL_ARGUMENT",
          "Table " + meta.getName() + " has no current row (" + rows.size() + " rows)");
    }
    return rows.get(row);
  }

  @Override
  AbstractMeta meta() {
    return meta;
  }

  @Override
  Object[] values() {
    return current().values();
  }

  @Override
  boolean[] initialized() {
    return current().initialized();
  }

  @Override
  public JCoRecordMetaData getRecordMetaData() {
    return meta;
  }

  /** Deletes all rows, as JCo documents for a table's {@code clear()}. */
  @Override
  public void clear() {
    deleteAllRows();
  }

  @Override
  public int getNumRows() {
    return rows.size();
  }

  @Override
  public int getNumColumns() {
    return meta.getFieldCount();
  }

  @Override
  public boolean isEmpty() {
    return rows.isEmpty();
  }

  @Override
  public boolean isFirstRow() {
    return !rows.isEmpty() && row == 0;
  }

  @Override
  public boolean isLastRow() {
    return !rows.isEmpty() && row == rows.size() - 1;
  }

  @Override
  public int getRow() {
    return row;
  }

  @Override
  public void setRow(int pos) {
    if (pos < 0 || pos >= rows.size()) {
      throw new JCoRuntimeException(JCoException.JCO_ERROR_ILLEGAL_ARGUMENT, "JCO_ERROR_ILLEGAL_ARGUMENT",
          "Row " + pos + " does not exist in table " + meta.getName() + " (" + rows.size() + " rows)");
    }
    row = pos;
  }

  @Override
  public void firstRow() {
    row = rows.isEmpty() ? -1 : 0;
  }

  @Override
  public void lastRow() {
    row = rows.size() - 1;
  }

  @Override
  public boolean nextRow() {
    if (row + 1 >= rows.size()) {
      return false;
    }
    row++;
    return true;
  }

  @Override
  public boolean previousRow() {
    if (row <= 0) {
      return false;
    }
    row--;
    return true;
  }

  @Override
  public void appendRow() {
    rows.add(new Row(initialValues(meta), new boolean[meta.getFieldCount()]));
    row = rows.size() - 1;
  }

  @Override
  public void appendRows(int numRows) {
    for (int i = 0; i < numRows; i++) {
      appendRow();
    }
  }

  @Override
  public void insertRow(int pos) {
    if (pos < 0 || pos > rows.size()) {
      throw new JCoRuntimeException(JCoException.JCO_ERROR_ILLEGAL_ARGUMENT, "JCO_ERROR_ILLEGAL_ARGUMENT",
          "Cannot insert at row " + pos + " of table " + meta.getName());
    }
    rows.add(pos, new Row(initialValues(meta), new boolean[meta.getFieldCount()]));
    row = pos;
  }

  @Override
  public void deleteRow() {
    deleteRow(row);
  }

  @Override
  public void deleteRow(int pos) {
    setRow(pos);
    rows.remove(pos);
    if (row >= rows.size()) {
      row = rows.size() - 1;
    }
  }

  @Override
  public void deleteAllRows() {
    rows.clear();
    row = -1;
  }

  @Override
  void appendXml(StringBuilder sb) {
    sb.append('<').append(meta.getName()).append('>');
    for (Row r : rows) {
      sb.append("<item>");
      appendFieldsXml(sb, r.values());
      sb.append("</item>");
    }
    sb.append("</").append(meta.getName()).append('>');
  }

  @Override
  void appendJson(StringBuilder sb) {
    sb.append('[');
    for (int i = 0; i < rows.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      appendFieldsJson(sb, rows.get(i).values());
    }
    sb.append(']');
  }

  @Override
  public SimTable clone() {
    List<Row> copy = new ArrayList<>();
    for (Row r : rows) {
      copy.add(r.copy());
    }
    return new SimTable(meta, copy, row);
  }
}
