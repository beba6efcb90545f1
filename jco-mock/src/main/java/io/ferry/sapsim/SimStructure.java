package io.ferry.sapsim;

import com.sap.conn.jco.JCoRecordMetaData;
import com.sap.conn.jco.JCoStructure;

/** A structure value. */
final class SimStructure extends SimRecord implements JCoStructure {

  private static final long serialVersionUID = 1L;

  private final RecordMeta meta;
  private final Object[] values;
  private final boolean[] initialized;

  SimStructure(RecordMeta meta) {
    this(meta, initialValues(meta), new boolean[meta.getFieldCount()]);
  }

  private SimStructure(RecordMeta meta, Object[] values, boolean[] initialized) {
    this.meta = meta;
    this.values = values;
    this.initialized = initialized;
  }

  @Override
  AbstractMeta meta() {
    return meta;
  }

  @Override
  Object[] values() {
    return values;
  }

  @Override
  boolean[] initialized() {
    return initialized;
  }

  @Override
  public JCoRecordMetaData getRecordMetaData() {
    return meta;
  }

  @Override
  public SimStructure clone() {
    return new SimStructure(meta, deepCopy(values), initialized.clone());
  }
}
