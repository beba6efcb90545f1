package io.ferry.sapsim;

import com.sap.conn.jco.ConversionException;
import com.sap.conn.jco.JCoField;
import com.sap.conn.jco.JCoMetaData;
import com.sap.conn.jco.JCoRecord;
import com.sap.conn.jco.JCoStructure;
import com.sap.conn.jco.JCoTable;
import java.math.BigDecimal;
import java.util.Date;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The field access every container shares. Subclasses say where the current values live: a
 * structure and a parameter list have one array, a table has one per row.
 */
abstract class SimRecord implements JCoRecord {

  private static final long serialVersionUID = 1L;

  abstract AbstractMeta meta();

  /** The values of the current row (or of the only one). */
  abstract Object[] values();

  abstract boolean[] initialized();

  @Override
  public abstract SimRecord clone();

  static Object[] initialValues(AbstractMeta meta) {
    Object[] v = new Object[meta.getFieldCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = Values.initial(meta.field(i));
    }
    return v;
  }

  static Object[] deepCopy(Object[] source) {
    Object[] copy = source.clone();
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] instanceof SimRecord r) {
        copy[i] = r.clone();
      } else {
        copy[i] = Values.copyOut(copy[i]);
      }
    }
    return copy;
  }

  @Override
  public JCoMetaData getMetaData() {
    return meta();
  }

  @Override
  public int getFieldCount() {
    return meta().getFieldCount();
  }

  @Override
  public void clear() {
    Object[] v = values();
    boolean[] init = initialized();
    for (int i = 0; i < v.length; i++) {
      v[i] = Values.initial(meta().field(i));
      init[i] = false;
    }
  }

  @Override
  public boolean isInitialized(int index) {
    meta().field(index);
    return initialized()[index];
  }

  @Override
  public boolean isInitialized(String name) {
    return isInitialized(meta().require(name));
  }

  @Override
  public Object getValue(int index) {
    meta().field(index);
    return Values.copyOut(values()[index]);
  }

  @Override
  public Object getValue(String name) {
    return getValue(meta().require(name));
  }

  @Override
  public String getString(int index) {
    return Values.asString(meta().field(index), values()[index]);
  }

  @Override
  public String getString(String name) {
    return getString(meta().require(name));
  }

  @Override
  public int getInt(int index) {
    long l = getLong(index);
    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
      throw new ConversionException("Value " + l + " of field " + meta().getName(index) + " does not fit an int");
    }
    return (int) l;
  }

  @Override
  public int getInt(String name) {
    return getInt(meta().require(name));
  }

  @Override
  public long getLong(int index) {
    return Values.asLong(meta().field(index), values()[index], meta().getName());
  }

  @Override
  public long getLong(String name) {
    return getLong(meta().require(name));
  }

  @Override
  public double getDouble(int index) {
    return Values.asDouble(meta().field(index), values()[index], meta().getName());
  }

  @Override
  public double getDouble(String name) {
    return getDouble(meta().require(name));
  }

  @Override
  public BigDecimal getBigDecimal(int index) {
    return Values.asBigDecimal(meta().field(index), values()[index], meta().getName());
  }

  @Override
  public BigDecimal getBigDecimal(String name) {
    return getBigDecimal(meta().require(name));
  }

  @Override
  public Date getDate(int index) {
    return Values.asDate(meta().field(index), values()[index], meta().getName());
  }

  @Override
  public Date getDate(String name) {
    return getDate(meta().require(name));
  }

  @Override
  public Date getTime(int index) {
    return Values.asTime(meta().field(index), values()[index], meta().getName());
  }

  @Override
  public Date getTime(String name) {
    return getTime(meta().require(name));
  }

  @Override
  public byte[] getByteArray(int index) {
    return Values.asBytes(meta().field(index), values()[index], meta().getName());
  }

  @Override
  public byte[] getByteArray(String name) {
    return getByteArray(meta().require(name));
  }

  @Override
  public JCoStructure getStructure(int index) {
    if (values()[index] instanceof SimStructure s && meta().field(index).isStructure()) {
      initialized()[index] = true;
      return s;
    }
    throw new ConversionException("Field " + meta().getName(index) + " of " + meta().getName() + " is not a structure");
  }

  @Override
  public JCoStructure getStructure(String name) {
    return getStructure(meta().require(name));
  }

  @Override
  public JCoTable getTable(int index) {
    if (values()[index] instanceof SimTable t && meta().field(index).isTable()) {
      initialized()[index] = true;
      return t;
    }
    throw new ConversionException("Field " + meta().getName(index) + " of " + meta().getName() + " is not a table");
  }

  @Override
  public JCoTable getTable(String name) {
    return getTable(meta().require(name));
  }

  // Not JCo 3 API (JCoRecord has no getField): the simulator's own, for iterator() and SimField.
  public JCoField getField(int index) {
    meta().field(index);
    return new SimField(this, index);
  }

  public JCoField getField(String name) {
    return getField(meta().require(name));
  }

  /** The one place a value enters a container. */
  void set(int index, Object value) {
    FieldMeta f = meta().field(index);
    values()[index] = Values.convert(f, value, meta().getName());
    initialized()[index] = true;
  }

  @Override
  public void setValue(int index, String value) {
    set(index, value);
  }

  @Override
  public void setValue(String name, String value) {
    set(meta().require(name), value);
  }

  @Override
  public void setValue(int index, int value) {
    set(index, value);
  }

  @Override
  public void setValue(String name, int value) {
    set(meta().require(name), value);
  }

  @Override
  public void setValue(int index, long value) {
    set(index, value);
  }

  @Override
  public void setValue(String name, long value) {
    set(meta().require(name), value);
  }

  @Override
  public void setValue(int index, double value) {
    set(index, BigDecimal.valueOf(value));
  }

  @Override
  public void setValue(String name, double value) {
    set(meta().require(name), BigDecimal.valueOf(value));
  }

  @Override
  public void setValue(int index, BigDecimal value) {
    set(index, value);
  }

  @Override
  public void setValue(String name, BigDecimal value) {
    set(meta().require(name), value);
  }

  // Not JCo 3 API (a date goes through setValue(…, Object)): kept for the simulator's own callers.
  public void setValue(int index, Date value) {
    set(index, value);
  }

  public void setValue(String name, Date value) {
    set(meta().require(name), value);
  }

  @Override
  public void setValue(int index, Object value) {
    set(index, value);
  }

  @Override
  public void setValue(String name, Object value) {
    set(meta().require(name), value);
  }

  @Override
  public Iterator<JCoField> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < getFieldCount();
      }

      @Override
      public JCoField next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return getField(next++);
      }
    };
  }

  @Override
  public String toXML() {
    StringBuilder sb = new StringBuilder();
    appendXml(sb);
    return sb.toString();
  }

  void appendXml(StringBuilder sb) {
    String tag = meta().getName();
    sb.append('<').append(tag).append('>');
    appendFieldsXml(sb, values());
    sb.append("</").append(tag).append('>');
  }

  final void appendFieldsXml(StringBuilder sb, Object[] v) {
    for (int i = 0; i < v.length; i++) {
      String name = meta().getName(i);
      sb.append('<').append(name).append('>');
      if (v[i] instanceof SimRecord r) {
        r.appendXml(sb);
      } else {
        sb.append(escapeXml(Values.asString(meta().field(i), v[i])));
      }
      sb.append("</").append(name).append('>');
    }
  }

  // Not JCo 3 API: the simulator's own rendering, for toString() and its tests.
  public String toJSON() {
    StringBuilder sb = new StringBuilder();
    appendJson(sb);
    return sb.toString();
  }

  void appendJson(StringBuilder sb) {
    appendFieldsJson(sb, values());
  }

  final void appendFieldsJson(StringBuilder sb, Object[] v) {
    sb.append('{');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(meta().getName(i)).append("\":");
      Object value = v[i];
      if (value instanceof SimRecord r) {
        r.appendJson(sb);
      } else if (value instanceof Number) {
        sb.append(Values.asString(meta().field(i), value));
      } else if (value == null) {
        sb.append("null");
      } else {
        sb.append('"').append(escapeJson(Values.asString(meta().field(i), value))).append('"');
      }
    }
    sb.append('}');
  }

  private static String escapeXml(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String escapeJson(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return toJSON();
  }
}
