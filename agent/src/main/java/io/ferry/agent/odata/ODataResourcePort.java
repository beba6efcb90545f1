package io.ferry.agent.odata;

import io.ferry.agent.sap.SapException;
import io.ferry.protocol.odata.ODataAnswer;
import java.util.Set;

/**
 * OData services reached generically, by the agent's name for each ({@code sap.odata.services.<name>.url}): SAP
 * Gateway's answers with every link made relative to the service root, so SAP's host never leaves the agent. The
 * OData backend's package implements it; a backend offers it when at least one service is configured.
 */
public interface ODataResourcePort {

  /** The names of the configured services. */
  Set<String> services();

  /**
   * Throws FORBIDDEN ({@code policy.odata.resources}) unless {@code method} may be sent to {@code entitySet} of
   * {@code service}; nothing is sent to SAP.
   */
  void checkResource(String service, String entitySet, String method) throws SapException;

  /** Throws FORBIDDEN unless the service's {@code $metadata} may be read (the policy names the service). */
  void checkService(String service) throws SapException;

  /**
   * Sends one request. A read's failure is UNAVAILABLE when SAP could not answer; a write's is OUTCOME_UNKNOWN once
   * the request may have reached SAP (a 5xx, a lost answer), UNAVAILABLE only when it surely did not.
   */
  ODataAnswer send(ODataCall call) throws SapException;

  /** The service's {@code $metadata} (EDMX) as SAP answers it. */
  String metadata(String service) throws SapException;
}
