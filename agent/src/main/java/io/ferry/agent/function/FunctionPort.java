package io.ferry.agent.function;

import io.ferry.agent.sap.SapException;
import io.ferry.protocol.function.FunctionAnswer;
import io.ferry.protocol.function.FunctionCall;
import io.ferry.protocol.function.FunctionInterface;
import java.util.List;

/**
 * Function modules called generically, by name, with parameters as JSON (docs/functions.md). The BAPI backend offers
 * it; the OData backend does not. The job handler ({@link FunctionJobs}) decides what may be called and whether a
 * call may run again; an implementation only reads SAP's metadata, maps values and calls.
 */
public interface FunctionPort {

  /**
   * The function's interface from SAP's repository as JSON Schema, its exceptions and SAP's short text
   * ({@code repeatable} false and no fingerprint: the handler adds what the agent's policy says).
   * {@link SapException.Kind#NOT_FOUND} when SAP has no such function module.
   */
  FunctionInterface describe(String function) throws SapException;

  /**
   * Reads the function's interface and checks and maps {@code call}'s parameters, sending nothing to the function
   * itself yet. {@link SapException.Kind#NOT_FOUND} when SAP has no such function module.
   */
  Prepared prepare(FunctionCall call) throws SapException;

  /** A call checked against the function's interface, ready to run. */
  interface Prepared {

    /** What is wrong with the parameters, each naming its JSON path ({@code tables.OPTIONS[2].TEXT}); empty: none. */
    List<String> problems();

    /**
     * Calls the function (and, when asked, commits or rolls back in the same session). A failure after the call was
     * sent is {@link SapException.Kind#OUTCOME_UNKNOWN}: the call cannot be looked up.
     */
    FunctionAnswer run() throws SapException;
  }
}
