package io.ferry.sapsim;

import com.sap.conn.jco.JCoListMetaData;
import java.util.List;

/** One of a function module's parameter lists (import, export, changing or tables). */
final class ListMeta extends AbstractMeta implements JCoListMetaData {

  private static final long serialVersionUID = 1L;

  ListMeta(String name, List<FieldMeta> parameters) {
    super(name, parameters);
  }

  @Override
  public boolean isImport(int index) {
    FieldMeta.Direction d = field(index).direction();
    return d == FieldMeta.Direction.IMPORT || d == FieldMeta.Direction.CHANGING;
  }

  @Override
  public boolean isExport(int index) {
    FieldMeta.Direction d = field(index).direction();
    return d == FieldMeta.Direction.EXPORT || d == FieldMeta.Direction.CHANGING;
  }

  @Override
  public boolean isChanging(int index) {
    return field(index).direction() == FieldMeta.Direction.CHANGING;
  }

  @Override
  public boolean isOptional(int index) {
    return field(index).optional();
  }

  @Override
  public boolean isOptional(String name) {
    return isOptional(require(name));
  }

  @Override
  public String getDefault(int index) {
    return field(index).defaultValue();
  }

  @Override
  public String getDefault(String name) {
    return getDefault(require(name));
  }
}
