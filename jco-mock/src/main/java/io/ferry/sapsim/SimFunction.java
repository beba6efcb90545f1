package io.ferry.sapsim;

import com.sap.conn.jco.AbapException;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoFunctionTemplate;
import com.sap.conn.jco.JCoParameterList;

/** One function instance: fresh parameter lists, executed against a simulated destination. */
final class SimFunction implements JCoFunction {

  private final SimFunctionTemplate template;
  private final SimParameterList imports;
  private final SimParameterList exports;
  private final SimParameterList changing;
  private final SimParameterList tables;

  SimFunction(SimFunctionTemplate template) {
    this.template = template;
    FunctionSpec spec = template.spec();
    this.imports = list(spec.imports());
    this.exports = list(spec.exports());
    this.changing = list(spec.changing());
    this.tables = list(spec.tables());
  }

  private static SimParameterList list(ListMeta meta) {
    return meta == null ? null : new SimParameterList(meta);
  }

  FunctionSpec spec() {
    return template.spec();
  }

  @Override
  public String getName() {
    return template.getName();
  }

  @Override
  public JCoParameterList getImportParameterList() {
    return imports;
  }

  @Override
  public JCoParameterList getExportParameterList() {
    return exports;
  }

  @Override
  public JCoParameterList getChangingParameterList() {
    return changing;
  }

  @Override
  public JCoParameterList getTableParameterList() {
    return tables;
  }

  @Override
  public AbapException[] getExceptionList() {
    return template.getExceptionList();
  }

  @Override
  public AbapException getException(String key) {
    for (AbapException e : getExceptionList()) {
      if (e.getKey().equals(key)) {
        return e;
      }
    }
    return null;
  }

  @Override
  public JCoFunctionTemplate getFunctionTemplate() {
    return template;
  }

  @Override
  public void execute(JCoDestination destination) throws JCoException {
    if (!(destination instanceof SimDestination d)) {
      throw new JCoException(JCoException.JCO_ERROR_ILLEGAL_ARGUMENT, "JCO_ERROR_ILLEGAL_ARGUMENT",
          "Destination " + destination + " was not made by this JCo runtime");
    }
    // Outputs of an earlier execute of the same instance do not leak into this one.
    if (exports != null) {
      exports.clear();
    }
    d.execute(this);
  }

  @Override
  public String toXML() {
    StringBuilder sb = new StringBuilder("<").append(getName()).append('>');
    for (SimParameterList l : new SimParameterList[] {imports, exports, changing, tables}) {
      if (l != null) {
        sb.append(l.toXML());
      }
    }
    return sb.append("</").append(getName()).append('>').toString();
  }

  @Override
  public String toString() {
    return getName();
  }
}
