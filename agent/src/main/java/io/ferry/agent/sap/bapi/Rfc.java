package io.ferry.agent.sap.bapi;

import com.sap.conn.jco.JCoContext;
import com.sap.conn.jco.JCoDestination;
import com.sap.conn.jco.JCoDestinationManager;
import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoFunction;
import com.sap.conn.jco.JCoRecord;
import com.sap.conn.jco.JCoRepository;
import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.SapMessage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One backend operation's way to SAP: the destination, its repository and the stateful context. */
final class Rfc {

  private static final Logger LOG = LoggerFactory.getLogger(Rfc.class);

  /** Work that runs inside one SAP session. */
  interface Stateful<T> {
    T run() throws JCoException, SapException;
  }

  private final String destinationName;
  private final JCoDestination destination;
  private final JCoRepository repository;
  private final CallPolicy calls;

  private Rfc(String destinationName, JCoDestination destination, JCoRepository repository, CallPolicy calls) {
    this.destinationName = destinationName;
    this.destination = destination;
    this.repository = repository;
    this.calls = calls;
  }

  /** @param calls asked before each function module is fetched: a refused one never reaches SAP */
  static Rfc connect(String destinationName, CallPolicy calls) throws SapException {
    JCoDestination d;
    try {
      d = JCoDestinationManager.getDestination(destinationName);
    } catch (JCoException e) {
      throw JcoErrors.mapLookup(e, destinationName);
    }
    try {
      return new Rfc(destinationName, d, d.getRepository(), calls);
    } catch (JCoException e) {
      throw JcoErrors.map(e, destinationName, "reading the function repository");
    }
  }

  String destinationName() {
    return destinationName;
  }

  /**
   * A fresh instance of the function module; FORBIDDEN when the agent's policy does not allow it (asked
   * before SAP is), CONFIGURATION when the system does not have it.
   */
  JCoFunction function(String name) throws JCoException, SapException {
    calls.checkFunction(name);
    JCoFunction f = repository.getFunction(name);
    if (f == null) {
      throw JcoErrors.configuration("SAP destination '" + destinationName + "' has no function module " + name
          + "; the SAP system must offer it remote-enabled to the agent's user", null);
    }
    return f;
  }

  /**
   * The interface of {@code name} from SAP's repository, or null when SAP has no such function module. Asks no
   * policy: the generic port asks {@code policy.functions} before ({@link CallPolicy#checkGenericFunction}).
   */
  com.sap.conn.jco.JCoFunctionTemplate template(String name) throws JCoException {
    return repository.getFunctionTemplate(name);
  }

  /** A round trip to SAP that runs nothing: whether the connection (inside a context: the session's) works. */
  void ping() throws JCoException {
    destination.ping();
  }

  void execute(JCoFunction f) throws JCoException {
    f.execute(destination);
  }

  /**
   * Runs the work in one stateful SAP session, so a BAPI and its commit share the session. The
   * session ends whatever happens; what was not committed is then rolled back by SAP.
   */
  <T> T stateful(Stateful<T> work) throws JCoException, SapException {
    JCoContext.begin(destination);
    boolean done = false;
    try {
      T result = work.run();
      done = true;
      return result;
    } finally {
      try {
        JCoContext.end(destination);
      } catch (JCoException e) {
        if (done) {
          // The work, commit included, is finished; a failing release loses nothing.
          LOG.warn("Ending the SAP session on destination {} failed: {}", destinationName, e.getMessage());
        }
      }
    }
  }

  /**
   * Sets a character field after checking its length against SAP's metadata, so an over-long value
   * is refused with a message naming the field, on SAP's JCo and this project's stand-in alike.
   */
  static void put(JCoRecord record, String field, String value, String canonical) throws SapException {
    int max = record.getMetaData().getLength(field);
    if (value.length() > max) {
      throw JcoErrors.business(canonical + " is longer than SAP's " + field + " field takes (" + max
          + " characters, was " + value.length() + ")", List.of());
    }
    record.setValue(field, value);
  }

  /** A field's value, or blank when this SAP release's structure does not have the field. */
  static String optional(JCoRecord record, String field) {
    return record.getMetaData().hasField(field) ? record.getString(field) : "";
  }

  /**
   * {@code BAPI_TRANSACTION_COMMIT} with WAIT in the session of the BAPI before it; an error in its RETURN rolls back
   * and is BUSINESS. Answers the commit's messages.
   */
  static List<SapMessage> commit(Rfc rfc, JCoFunction commit, JCoFunction rollback, String what)
      throws JCoException, SapException {
    commit.getImportParameterList().setValue("WAIT", "X");
    rfc.execute(commit);
    List<SapMessage> messages = ReturnMessages.of(commit.getExportParameterList().getStructure("RETURN"));
    if (ReturnMessages.hasError(messages)) {
      throw Rfc.rolledBack(rfc, rollback, JcoErrors.business("SAP could not post " + what + ": "
          + ReturnMessages.firstError(messages), messages));
    }
    return messages;
  }

  /** Rolls back before the failure is reported; a failing rollback only adds to it (SAP rolls back anyway). */
  static SapException rolledBack(Rfc rfc, JCoFunction rollback, SapException failure) {
    try {
      rfc.execute(rollback);
    } catch (JCoException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }
}
