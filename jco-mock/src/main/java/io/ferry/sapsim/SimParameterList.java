package io.ferry.sapsim;

import com.sap.conn.jco.JCoListMetaData;
import com.sap.conn.jco.JCoParameterList;
import java.util.HashSet;
import java.util.Set;

/** The import, export, changing or tables parameters of one function instance. */
final class SimParameterList extends SimRecord implements JCoParameterList {

  private static final long serialVersionUID = 1L;

  private final ListMeta meta;
  private final Object[] values;
  private final boolean[] initialized;
  private final Set<String> inactive;

  SimParameterList(ListMeta meta) {
    this(meta, initialValues(meta), new boolean[meta.getFieldCount()], new HashSet<>());
  }

  private SimParameterList(ListMeta meta, Object[] values, boolean[] initialized, Set<String> inactive) {
    this.meta = meta;
    this.values = values;
    this.initialized = initialized;
    this.inactive = inactive;
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
  public JCoListMetaData getListMetaData() {
    return meta;
  }

  @Override
  public boolean isActive(String name) {
    meta.require(name);
    return !inactive.contains(name);
  }

  @Override
  public void setActive(String name, boolean active) {
    meta.require(name);
    if (active) {
      inactive.remove(name);
    } else {
      inactive.add(name);
    }
  }

  @Override
  public SimParameterList clone() {
    return new SimParameterList(meta, deepCopy(values), initialized.clone(), new HashSet<>(inactive));
  }
}
