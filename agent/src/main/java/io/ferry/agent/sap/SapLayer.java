package io.ferry.agent.sap;

/**
 * Something every call to SAP passes through, whatever the business object: the sales-organisation guard,
 * retries and the circuit breaker, metering. Layers are stacked in {@link SapCalls}; each decides whether and how
 * often to go on inward.
 */
public interface SapLayer {

  /** The layers inside this one, down to the port. */
  interface Inner {
    /** Runs {@code call} through the inner layers: the call given, or another one (a look-up, a first read). */
    <U> U run(SapCall<U> call) throws SapException;
  }

  <T> T around(SapCall<T> call, Inner inner) throws SapException;
}
