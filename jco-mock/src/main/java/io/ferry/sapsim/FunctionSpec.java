package io.ferry.sapsim;

import io.ferry.sapsim.FieldMeta.Direction;
import java.util.ArrayList;
import java.util.List;

/** A function module the simulator offers: its interface and the code that answers it. */
record FunctionSpec(String name, ListMeta imports, ListMeta exports, ListMeta changing, ListMeta tables,
    Handler handler) {

  /** The function module's body. Runs under the system's lock. */
  interface Handler {
    void handle(Call call);
  }

  static Builder named(String name) {
    return new Builder(name);
  }

  static final class Builder {
    private final String name;
    private final List<FieldMeta> imports = new ArrayList<>();
    private final List<FieldMeta> exports = new ArrayList<>();
    private final List<FieldMeta> tables = new ArrayList<>();

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

    Builder table(FieldMeta f, boolean optional) {
      tables.add(f.asParameter(Direction.TABLES, optional));
      return this;
    }

    FunctionSpec handledBy(Handler handler) {
      return new FunctionSpec(name, list("IMPORT", imports), list("EXPORT", exports), null,
          list("TABLES", tables), handler);
    }

    private ListMeta list(String kind, List<FieldMeta> params) {
      return params.isEmpty() ? null : new ListMeta(name + "." + kind, params);
    }
  }
}
