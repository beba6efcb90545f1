package com.sap.conn.jco.ext;

/** How a provider tells JCo that a destination's properties changed or were removed. */
public interface DestinationDataEventListener {

  void deleted(String destinationName);

  void updated(String destinationName);
}
