package io.ferry.sapsim;

import com.sap.conn.jco.JCoParameterList;
import com.sap.conn.jco.JCoStructure;

/** One execution of a function module: the system, the session it runs in and its parameters. */
record Call(SapSystem system, Session session, SimFunction function) {

  JCoParameterList imports() {
    return function.getImportParameterList();
  }

  JCoParameterList exports() {
    return function.getExportParameterList();
  }

  JCoParameterList tables() {
    return function.getTableParameterList();
  }

  String importString(String name) {
    return imports().getString(name);
  }

  JCoStructure importStructure(String name) {
    return imports().getStructure(name);
  }

  void answer(Msg msg) {
    msg.writeTo(exports().getStructure("RETURN"));
  }
}
