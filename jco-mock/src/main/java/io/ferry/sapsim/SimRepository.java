package io.ferry.sapsim;

import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoFunctionTemplate;
import com.sap.conn.jco.JCoRecordMetaData;
import com.sap.conn.jco.JCoRepository;
import java.util.Locale;
import java.util.Set;

/** The simulated system's function modules and structures. */
final class SimRepository implements JCoRepository {

  private final String name;
  private final Set<String> missing;

  /** @param missing function modules this system lacks although the simulator has them ({@code jco.mock.missing}) */
  SimRepository(String name, Set<String> missing) {
    this.name = name;
    this.missing = missing;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public JCoFunction getFunction(String functionName) {
    JCoFunctionTemplate t = getFunctionTemplate(functionName);
    return t == null ? null : t.getFunction();
  }

  @Override
  public JCoFunctionTemplate getFunctionTemplate(String functionName) {
    if (functionName != null && missing.contains(functionName.toUpperCase(Locale.ROOT))) {
      return null;
    }
    FunctionSpec spec = FunctionCatalog.find(functionName);
    return spec == null ? null : new SimFunctionTemplate(spec);
  }

  @Override
  public JCoRecordMetaData getStructureDefinition(String structureName) {
    return Ddic.structure(structureName);
  }
}
