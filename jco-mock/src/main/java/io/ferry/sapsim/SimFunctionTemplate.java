package io.ferry.sapsim;

import com.sap.conn.jco.AbapException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoFunctionTemplate;
import com.sap.conn.jco.JCoListMetaData;

/** The interface of one simulated function module. BAPIs raise no classic exceptions; RFC_READ_TABLE does. */
final class SimFunctionTemplate implements JCoFunctionTemplate {

  private final FunctionSpec spec;

  SimFunctionTemplate(FunctionSpec spec) {
    this.spec = spec;
  }

  FunctionSpec spec() {
    return spec;
  }

  @Override
  public String getName() {
    return spec.name();
  }

  @Override
  public JCoFunction getFunction() {
    return new SimFunction(this);
  }

  @Override
  public JCoListMetaData getImportParameterList() {
    return spec.imports();
  }

  @Override
  public JCoListMetaData getExportParameterList() {
    return spec.exports();
  }

  @Override
  public JCoListMetaData getChangingParameterList() {
    return spec.changing();
  }

  @Override
  public JCoListMetaData getTableParameterList() {
    return spec.tables();
  }

  // Not JCo 3 API on JCoFunctionTemplate (only JCoFunction has it): SimFunction asks here.
  public AbapException[] getExceptionList() {
    return spec.exceptions().stream().map(e -> new AbapException(e.key(), e.text())).toArray(AbapException[]::new);
  }
}
