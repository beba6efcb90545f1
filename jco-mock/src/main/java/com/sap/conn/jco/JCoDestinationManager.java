package com.sap.conn.jco;

import io.ferry.sapsim.JcoBridge;

/**
 * Hands out destinations by name. The properties come from the
 * {@link com.sap.conn.jco.ext.DestinationDataProvider} registered with
 * {@link com.sap.conn.jco.ext.Environment}; without one, or when it does not know the name, a
 * {@link JCoException} of group {@link JCoException#JCO_ERROR_RESOURCE} says the destination does
 * not exist.
 */
public abstract class JCoDestinationManager {

  /** Instantiated by the JCo runtime only. */
  protected JCoDestinationManager() {}

  public static JCoDestination getDestination(String destinationName) throws JCoException {
    return JcoBridge.destination(destinationName);
  }

  /** Scopes separate connection pools in real JCo; this stand-in has one scope. */
  public static JCoDestination getDestination(String destinationName, String scopeType)
      throws JCoException {
    return JcoBridge.destination(destinationName);
  }

  /** Reserved for the JCo runtime (public and deprecated in JCo 3, as here). */
  @Deprecated
  public abstract JCoDestination getDestinationInstance(String destinationName, String scopeType)
      throws JCoException;
}
