package io.ferry.sapsim;

import com.sap.conn.jco.JCoException;
import io.ferry.sapsim.FieldMeta.Direction;
import java.util.ArrayList;
import java.util.List;

/**
 * A function module the simulator offers: its interface, the classic exceptions it may raise (key
 * and SAP's short text) and the code that answers it.
 */
record FunctionSpec(String name, ListMeta imports, ListMeta exports, ListMeta changing, ListMeta tables,
    List<ExceptionSpec> exceptions, Handler handler) {

  /** A classic exception of the function module ({@code RAISE key}) with its short text. */
  record ExceptionSpec(String key, String text) {}

  /** The function module's body. Runs under the system's lock; an ABAP exception ends it. */
  interface Handler {
    void handle(Call call) throws JCoException;
  }

  static Builder named(String name) {
    return new Builder(name);
  }

  static final class Builder {
    private final String name;
    private final List<FieldMeta> imports = new ArrayList<>();
    private final List<FieldMeta> exports = new ArrayList<>();
    private final List<FieldMeta> changing = new ArrayList<>();
    private final List<FieldMeta> tables = new ArrayList<>();
    private final List<ExceptionSpec> exceptions = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    Builder in(FieldMeta f) {
      imports.add(f.asParameter(Direction.IMPORT, false));
      return this;
    }

    Builder optionalIn(FieldMeta f) {
      imports.add(f.asParameter(Direction.IMPORT, true));
      return this;
    }

    Builder out(FieldMeta f) {
      exports.add(f.asParameter(Direction.EXPORT, false));
      return this;
    }

    Builder changing(FieldMeta f, boolean optional) {
      changing.add(f.asParameter(Direction.CHANGING, optional));
      return this;
    }

    Builder table(FieldMeta f, boolean optional) {
      tables.add(f.asParameter(Direction.TABLES, optional));
      return this;
    }

    Builder raises(String key, String text) {
      exceptions.add(new ExceptionSpec(key, text));
      return this;
    }

    FunctionSpec handledBy(Handler handler) {
      return new FunctionSpec(name, list("IMPORT", imports), list("EXPORT", exports), list("CHANGING", changing),
          list("TABLES", tables), List.copyOf(exceptions), handler);
    }

    private ListMeta list(String kind, List<FieldMeta> params) {
      return params.isEmpty() ? null : new ListMeta(name + "." + kind, params);
    }
  }
}
