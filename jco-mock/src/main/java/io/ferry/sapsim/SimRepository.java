package io.ferry.sapsim;

import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoFunctionTemplate;
import com.sap.conn.jco.JCoRecordMetaData;
import com.sap.conn.jco.JCoRepository;

/** The simulated system's function modules and structures. */
final class SimRepository implements JCoRepository {

  private final String name;

  SimRepository(String name) {
    this.name = name;
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
    FunctionSpec spec = FunctionCatalog.find(functionName);
    return spec == null ? null : new SimFunctionTemplate(spec);
  }

  @Override
  public JCoRecordMetaData getStructureDefinition(String structureName) {
    return Ddic.structure(structureName);
  }
}
