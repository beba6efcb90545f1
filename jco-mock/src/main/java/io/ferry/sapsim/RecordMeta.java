package io.ferry.sapsim;

import com.sap.conn.jco.JCoRecordMetaData;
import java.util.List;

/** A DDIC structure: the line type of a structure or table parameter. */
final class RecordMeta extends AbstractMeta implements JCoRecordMetaData {

  private static final long serialVersionUID = 1L;

  RecordMeta(String name, List<FieldMeta> fields) {
    super(name, fields);
  }

  static RecordMeta of(String name, FieldMeta... fields) {
    return new RecordMeta(name, List.of(fields));
  }
}
