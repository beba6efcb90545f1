package io.ferry.sapsim;

import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoMetaData;
import com.sap.conn.jco.JCoRecordMetaData;
import com.sap.conn.jco.JCoRuntimeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Field lookup shared by structure and parameter-list metadata. Immutable. */
abstract class AbstractMeta implements JCoMetaData {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final List<FieldMeta> fields;
  private final Map<String, Integer> indexByName = new HashMap<>();

  AbstractMeta(String name, List<FieldMeta> fields) {
    this.name = name;
    this.fields = List.copyOf(fields);
    for (int i = 0; i < this.fields.size(); i++) {
      if (indexByName.put(this.fields.get(i).name(), i) != null) {
        throw new IllegalArgumentException(name + " defines " + this.fields.get(i).name() + " twice");
      }
    }
  }

  final List<FieldMeta> fields() {
    return fields;
  }

  final FieldMeta field(int index) {
    if (index < 0 || index >= fields.size()) {
      throw new JCoRuntimeException(JCoException.JCO_ERROR_FIELD_NOT_FOUND, "JCO_ERROR_FIELD_NOT_FOUND",
          "Field index " + index + " is out of range for " + name);
    }
    return fields.get(index);
  }

  /** The index of the named field; JCo's field-not-found error when there is none. */
  final int require(String fieldName) {
    Integer i = fieldName == null ? null : indexByName.get(fieldName);
    if (i == null) {
      throw new JCoRuntimeException(JCoException.JCO_ERROR_FIELD_NOT_FOUND, "JCO_ERROR_FIELD_NOT_FOUND",
          "Field " + fieldName + " not a member of " + name);
    }
    return i;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public int getFieldCount() {
    return fields.size();
  }

  @Override
  public String getName(int index) {
    return field(index).name();
  }

  @Override
  public int indexOf(String fieldName) {
    Integer i = indexByName.get(fieldName);
    return i == null ? -1 : i;
  }

  @Override
  public boolean hasField(String fieldName) {
    return indexByName.containsKey(fieldName);
  }

  @Override
  public int getType(int index) {
    return field(index).type();
  }

  @Override
  public int getType(String fieldName) {
    return getType(require(fieldName));
  }

  @Override
  public String getTypeAsString(int index) {
    return field(index).typeName();
  }

  @Override
  public String getTypeAsString(String fieldName) {
    return getTypeAsString(require(fieldName));
  }

  @Override
  public int getLength(int index) {
    return field(index).length();
  }

  @Override
  public int getLength(String fieldName) {
    return getLength(require(fieldName));
  }

  @Override
  public int getDecimals(int index) {
    return field(index).decimals();
  }

  @Override
  public int getDecimals(String fieldName) {
    return getDecimals(require(fieldName));
  }

  @Override
  public int getByteLength(int index) {
    return field(index).byteLength();
  }

  @Override
  public int getByteLength(String fieldName) {
    return getByteLength(require(fieldName));
  }

  @Override
  public int getUnicodeByteLength(int index) {
    return field(index).unicodeByteLength();
  }

  @Override
  public int getUnicodeByteLength(String fieldName) {
    return getUnicodeByteLength(require(fieldName));
  }

  @Override
  public String getDescription(int index) {
    return field(index).description();
  }

  @Override
  public String getDescription(String fieldName) {
    return getDescription(require(fieldName));
  }

  @Override
  public boolean isStructure(int index) {
    return field(index).isStructure();
  }

  @Override
  public boolean isTable(int index) {
    return field(index).isTable();
  }

  @Override
  public boolean isStructure(String fieldName) {
    return isStructure(require(fieldName));
  }

  @Override
  public boolean isTable(String fieldName) {
    return isTable(require(fieldName));
  }

  @Override
  public String getRecordTypeName(String fieldName) {
    return getRecordTypeName(require(fieldName));
  }

  @Override
  public String getRecordTypeName(int index) {
    RecordMeta type = field(index).lineType();
    return type == null ? null : type.getName();
  }

  @Override
  public JCoRecordMetaData getRecordMetaData(int index) {
    return field(index).lineType();
  }

  @Override
  public JCoRecordMetaData getRecordMetaData(String fieldName) {
    return getRecordMetaData(require(fieldName));
  }

  @Override
  public String toString() {
    return name + fields.stream().map(FieldMeta::name).toList();
  }
}
