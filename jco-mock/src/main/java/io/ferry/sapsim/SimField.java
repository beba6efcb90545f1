package io.ferry.sapsim;

import com.sap.conn.jco.JCoField;
import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import java.math.BigDecimal;
import java.util.Date;

/** A view of one field of a record; reads and writes go to the record. */
final class SimField implements JCoField {

  private final SimRecord record;
  private final int index;

  SimField(SimRecord record, int index) {
    this.record = record;
    this.index = index;
  }

  private FieldMeta meta() {
    return record.meta().field(index);
  }

  @Override
  public String getName() {
    return meta().name();
  }

  @Override
  public String getDescription() {
    return meta().description();
  }

  @Override
  public int getType() {
    return meta().type();
  }

  @Override
  public String getTypeAsString() {
    return meta().typeName();
  }

  @Override
  public int getLength() {
    return meta().length();
  }

  @Override
  public int getDecimals() {
    return meta().decimals();
  }

  @Override
  public boolean isStructure() {
    return meta().isStructure();
  }

  @Override
  public boolean isTable() {
    return meta().isTable();
  }

  @Override
  public boolean isInitialized() {
    return record.isInitialized(index);
  }

  @Override
  public Object getValue() {
    return record.getValue(index);
  }

  @Override
  public String getString() {
    return record.getString(index);
  }

  @Override
  public int getInt() {
    return record.getInt(index);
  }

  @Override
  public long getLong() {
    return record.getLong(index);
  }

  @Override
  public double getDouble() {
    return record.getDouble(index);
  }

  @Override
  public Date getTime() {
    return record.getTime(index);
  }

  @Override
  public byte[] getByteArray() {
    return record.getByteArray(index);
  }

  @Override
  public BigDecimal getBigDecimal() {
    return record.getBigDecimal(index);
  }

  @Override
  public Date getDate() {
    return record.getDate(index);
  }

  @Override
  public JCoStructure getStructure() {
    return record.getStructure(index);
  }

  @Override
  public JCoTable getTable() {
    return record.getTable(index);
  }

  @Override
  public void setValue(String value) {
    record.setValue(index, value);
  }

  @Override
  public void setValue(int value) {
    record.setValue(index, value);
  }

  @Override
  public void setValue(Object value) {
    record.setValue(index, value);
  }

  @Override
  public String toString() {
    return getName() + "=" + getString();
  }
}
