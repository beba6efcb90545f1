package com.sap.conn.jco;

/**
 * An ABAP internal table. The record getters and setters work on the row the row pointer is on;
 * {@link #clear()} deletes all rows.
 */
public interface JCoTable extends JCoRecord {

  JCoRecordMetaData getRecordMetaData();

  int getNumRows();

  int getNumColumns();

  boolean isEmpty();

  boolean isFirstRow();

  boolean isLastRow();

  /** The current row number, starting at 0; -1 when the table is empty. */
  int getRow();

  void setRow(int pos);

  void firstRow();

  void lastRow();

  /** Moves to the next row; false, without moving, when the pointer is on the last row. */
  boolean nextRow();

  /** Moves to the previous row; false, without moving, when the pointer is on the first row. */
  boolean previousRow();

  /** Appends an empty row and moves the row pointer to it. */
  void appendRow();

  void appendRows(int numRows);

  void insertRow(int pos);

  void deleteRow();

  void deleteRow(int pos);

  void deleteAllRows();
}
