package com.sap.conn.jco;

import io.ferry.sapsim.JcoBridge;

/**
 * Declares a stateful call sequence: every call between {@link #begin} and {@link #end} on the
 * same thread and destination runs in one SAP session, so a BAPI and its
 * {@code BAPI_TRANSACTION_COMMIT} see the same buffers. Contexts nest; the session ends when
 * {@code end} has been called as often as {@code begin}, and whatever it had not committed is lost.
 */
public abstract class JCoContext {

  /** Only used internally. */
  protected JCoContext() {}

  public static void begin(JCoDestination destination) {
    JcoBridge.begin(destination);
  }

  public static void end(JCoDestination destination) throws JCoException {
    JcoBridge.end(destination);
  }

  /** Whether the current thread has begun a stateful sequence on the destination and not ended it. */
  public static boolean isStateful(JCoDestination destination) {
    return JcoBridge.isStateful(destination);
  }
}
