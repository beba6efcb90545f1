package io.ferry.agent.sap.bapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sap.conn.jco.AbapException;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoFunctionTemplate;
import com.sap.conn.jco.JCoListMetaData;
import com.sap.conn.jco.JCoParameterList;
import com.sap.conn.jco.JCoRuntimeException;
import com.sap.conn.jco.JCoTable;
import io.ferry.agent.function.FunctionPort;
import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.SapMessage;
import io.ferry.protocol.function.FunctionAnswer;
import io.ferry.protocol.function.FunctionCall;
import io.ferry.protocol.function.FunctionInterface;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Function modules called generically over RFC: the interface read from SAP's repository and written as JSON Schema
 * ({@link FunctionSchemas}), parameter values checked and mapped both ways ({@link AbapJson}), the call itself and,
 * when asked, {@code BAPI_TRANSACTION_COMMIT} (WAIT) in the same session — or {@code BAPI_TRANSACTION_ROLLBACK} after
 * an E or A message in {@code RETURN} or an ABAP exception.
 *
 * <p>{@code policy.functions} is asked ({@link CallPolicy#checkGenericFunction}) before SAP's repository is; the commit
 * and rollback BAPIs of a call that asks for them are implied by granting the function, as they only end the
 * session's own unit of work. Logs name functions and outcomes only, never parameter values.
 */
final class BapiFunctions implements FunctionPort {

  private static final Logger log = LoggerFactory.getLogger(BapiFunctions.class);
  /** Where SAP's short text of a function module is read, when {@code policy.bapi.functions} allows it. */
  static final String SHORT_TEXTS = "RFC_FUNCTION_SEARCH";

  private final String destination;
  private final CallPolicy calls;

  BapiFunctions(String destination, CallPolicy calls) {
    this.destination = destination;
    this.calls = calls;
  }

  @Override
  public FunctionInterface describe(String function) throws SapException {
    String name = normalized(function);
    calls.checkGenericFunction(name);
    Rfc rfc = Rfc.connect(destination, calls);
    try {
      JCoFunctionTemplate t = template(rfc, name);
      return new FunctionInterface(name, shortText(rfc, name), FunctionSchemas.request(t),
          FunctionSchemas.response(t), exceptions(t), false, null);
    } catch (JCoException e) {
      throw JcoErrors.map(e, destination, "reading the interface of " + name);
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, destination, "reading the interface of " + name);
    }
  }

  @Override
  public Prepared prepare(FunctionCall call) throws SapException {
    String name = normalized(call.function());
    calls.checkGenericFunction(name);
    Rfc rfc = Rfc.connect(destination, calls);
    try {
      JCoFunction f = template(rfc, name).getFunction();
      List<String> problems = new ArrayList<>();
      fill(f.getImportParameterList(), call.importing(), "importing", "import parameter", problems);
      required(f.getImportParameterList(), call.importing(), problems);
      fill(f.getChangingParameterList(), call.changing(), "changing", "changing parameter", problems);
      fill(f.getTableParameterList(), call.tables(), "tables", "table parameter", problems);
      JCoFunction commit = null;
      JCoFunction rollback = null;
      if (call.commits() && problems.isEmpty()) {
        commit = transaction(rfc, BapiBackend.COMMIT);
        rollback = transaction(rfc, BapiBackend.ROLLBACK);
      }
      return new Call(rfc, name, f, commit, rollback, List.copyOf(problems));
    } catch (JCoException e) {
      throw JcoErrors.map(e, destination, "reading the interface of " + name);
    } catch (JCoRuntimeException e) {
      throw JcoErrors.map(e, destination, "reading the interface of " + name);
    }
  }

  /** One checked call; {@link #run()} sends it. */
  private final class Call implements Prepared {
    private final Rfc rfc;
    private final String name;
    private final JCoFunction function;
    private final JCoFunction commit;
    private final JCoFunction rollback;
    private final List<String> problems;

    Call(Rfc rfc, String name, JCoFunction function, JCoFunction commit, JCoFunction rollback, List<String> problems) {
      this.rfc = rfc;
      this.name = name;
      this.function = function;
      this.commit = commit;
      this.rollback = rollback;
      this.problems = problems;
    }

    @Override
    public List<String> problems() {
      return problems;
    }

    /**
     * Without commit: the call alone. With commit: the call and the commit (or rollback) in one session. A ping
     * goes first, so that a SAP that cannot be reached is told apart from a call that broke: a communication failure
     * once the call was sent is OUTCOME_UNKNOWN (SAP may have acted; a function may commit by itself), before it
     * UNAVAILABLE; an exhausted connection pool never sent anything.
     */
    @Override
    public FunctionAnswer run() throws SapException {
      if (!problems.isEmpty()) {
        throw new IllegalStateException("a call with problems is never run");
      }
      boolean[] sent = {false};
      try {
        if (commit == null) {
          // SAP down with the interface cached: the ping fails and nothing was sent (UNAVAILABLE, worth a retry),
          // where a failing call would leave its outcome unknown.
          rfc.ping();
          sent[0] = true;
          rfc.execute(function);
          List<SapMessage> messages = returned(function);
          if (ReturnMessages.hasError(messages)) {
            throw refused(messages);
          }
          return answer(messages);
        }
        return rfc.stateful(() -> {
          rfc.ping();
          sent[0] = true;
          try {
            rfc.execute(function);
          } catch (AbapException e) {
            throw Rfc.rolledBack(rfc, rollback, abap(e));
          }
          List<SapMessage> messages = returned(function);
          if (ReturnMessages.hasError(messages)) {
            throw Rfc.rolledBack(rfc, rollback, refused(messages));
          }
          List<SapMessage> all = new ArrayList<>(messages);
          try {
            all.addAll(Rfc.commit(rfc, commit, rollback, "the work of " + name));
          } catch (JCoException e) {
            throw unknown(e, "committing after " + name);
          }
          return answer(all);
        });
      } catch (AbapException e) {
        throw abap(e);
      } catch (JCoException e) {
        if (sent[0] && e.getGroup() != JCoException.JCO_ERROR_RESOURCE) {
          SapException mapped = JcoErrors.map(e, destination, "calling " + name);
          if (mapped.kind() == SapException.Kind.UNAVAILABLE) {
            throw unknown(e, "calling " + name);
          }
          throw mapped;
        }
        throw JcoErrors.map(e, destination, "calling " + name);
      } catch (JCoRuntimeException e) {
        throw JcoErrors.map(e, destination, "calling " + name);
      }
    }

    private FunctionAnswer answer(List<SapMessage> messages) {
      return new FunctionAnswer(read(function.getExportParameterList()), read(function.getChangingParameterList()),
          read(function.getTableParameterList()), messages);
    }

    private SapException refused(List<SapMessage> messages) {
      log.info("FERRY-AGENT-0501 function module {} answered with an error in RETURN", name);
      return JcoErrors.business("SAP refused the call of " + name + ": " + ReturnMessages.firstError(messages),
          messages);
    }

    private SapException abap(AbapException e) {
      log.info("FERRY-AGENT-0502 function module {} raised the ABAP exception {}", name, e.getKey());
      String text = e.getMessageText();
      List<SapMessage> messages = new ArrayList<>();
      if (e.getMessageClass() != null && !e.getMessageClass().isBlank()) {
        char type = e.getMessageType();
        messages.add(new SapMessage(type == ' ' || type == 0 ? "E" : String.valueOf(type), e.getMessageClass(),
            e.getMessageNumber(), text));
      }
      return SapException.abapException(e.getKey(), "function module " + name + " raised the ABAP exception "
          + e.getKey() + (text == null || text.isBlank() ? "" : ": " + text), messages, e);
    }

    private SapException unknown(JCoException e, String action) {
      return new SapException(SapException.Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN, "the outcome of "
          + "calling " + name + " is unknown: SAP destination '" + destination + "', " + action + ": "
          + e.getMessage(), List.of(), e);
    }
  }

  /** The messages of a RETURN parameter (an export structure or a table; BAPIRET2, BAPIRETURN …), if it has one. */
  static List<SapMessage> returned(JCoFunction f) {
    JCoParameterList exports = f.getExportParameterList();
    if (exports != null && exports.getListMetaData().hasField("RETURN")) {
      int i = exports.getListMetaData().indexOf("RETURN");
      if (exports.getListMetaData().isStructure(i) && isMessage(exports.getListMetaData().getRecordMetaData(i))) {
        return ReturnMessages.of(exports.getStructure(i));
      }
    }
    JCoParameterList tables = f.getTableParameterList();
    if (tables != null && tables.getListMetaData().hasField("RETURN")) {
      int i = tables.getListMetaData().indexOf("RETURN");
      if (isMessage(tables.getListMetaData().getRecordMetaData(i))) {
        JCoTable rows = tables.getTable(i);
        return ReturnMessages.ofTable(rows);
      }
    }
    return List.of();
  }

  private static boolean isMessage(com.sap.conn.jco.JCoMetaData line) {
    return line != null && line.hasField("TYPE") && line.hasField("MESSAGE")
        && (line.hasField("CODE") || line.hasField("ID") && line.hasField("NUMBER"));
  }

  private static ObjectNode read(JCoParameterList list) {
    return list == null ? null : AbapJson.read(list, list.getListMetaData());
  }

  private static void fill(JCoParameterList list, JsonNode values, String path, String what, List<String> problems) {
    if (values == null || values.isNull()) {
      return;
    }
    if (list == null) {
      values.fieldNames().forEachRemaining(n -> problems.add(path + "." + n + ": there is no " + what + " " + n
          + " (the function has no " + what + "s)"));
      return;
    }
    AbapJson.fill(list, list.getListMetaData(), values, path, what, problems);
  }

  private static void required(JCoParameterList imports, JsonNode importing, List<String> problems) {
    if (imports == null) {
      return;
    }
    JCoListMetaData meta = imports.getListMetaData();
    for (int i = 0; i < meta.getFieldCount(); i++) {
      if (!meta.isOptional(i) && (importing == null || !importing.has(meta.getName(i)))) {
        problems.add("importing." + meta.getName(i) + ": is required (SAP's interface makes it mandatory) and "
            + "missing");
      }
    }
  }

  private JCoFunctionTemplate template(Rfc rfc, String name) throws JCoException, SapException {
    JCoFunctionTemplate t = rfc.template(name);
    if (t == null) {
      throw new SapException(SapException.Kind.NOT_FOUND, SapErrorCodes.NOT_FOUND, "SAP destination '" + destination
          + "' has no function module " + name + " (or it is not remote-enabled)", List.of());
    }
    return t;
  }

  private JCoFunction transaction(Rfc rfc, String name) throws JCoException, SapException {
    JCoFunctionTemplate t = rfc.template(name);
    if (t == null) {
      throw JcoErrors.configuration("SAP destination '" + destination + "' has no function module " + name
          + ", which a call with commit needs", null);
    }
    return t.getFunction();
  }

  private static List<String> exceptions(JCoFunctionTemplate t) {
    AbapException[] list = t.getFunction().getExceptionList();
    List<String> keys = new ArrayList<>();
    if (list != null) {
      for (AbapException e : list) {
        keys.add(e.getKey());
      }
    }
    return keys;
  }

  /**
   * SAP's short text of the function from {@code RFC_FUNCTION_SEARCH}, in the logon language; null when
   * {@code policy.bapi.functions} does not name that function, the system lacks it, or it fails: a description is
   * worth no failed describe.
   */
  private String shortText(Rfc rfc, String name) {
    if (!calls.allowsFunction(SHORT_TEXTS)) {
      return null;
    }
    try {
      JCoFunctionTemplate t = rfc.template(SHORT_TEXTS);
      if (t == null) {
        return null;
      }
      JCoFunction search = t.getFunction();
      search.getImportParameterList().setValue("FUNCNAME", name);
      rfc.execute(search);
      JCoTable found = search.getTableParameterList().getTable("FUNCTIONS");
      for (int i = 0; i < found.getNumRows(); i++) {
        found.setRow(i);
        if (name.equals(found.getString("FUNCNAME").strip())) {
          String text = found.getString("STEXT").strip();
          return text.isEmpty() ? null : text;
        }
      }
      return null;
    } catch (JCoException | RuntimeException e) {
      log.debug("no short text for {}: {}", name, e.getMessage());
      return null;
    }
  }

  private static String normalized(String function) {
    return function == null ? "" : function.strip().toUpperCase(Locale.ROOT);
  }
}
