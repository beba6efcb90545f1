package io.ferry.agent.sap;

/**
 * The stable error codes every SAP backend reports in {@link SapException#code()}; agent/README.md
 * ("SAP error codes") documents them for operators.
 */
public final class SapErrorCodes {

  /** SAP refused: a RETURN message of type E or A, a failed commit, or data SAP cannot take. */
  public static final String BUSINESS = "FERRY-SAP-0001";
  /** The customer does not exist. */
  public static final String NOT_FOUND = "FERRY-SAP-0002";
  /** SAP could not be reached or did not answer in time. */
  public static final String UNAVAILABLE = "FERRY-SAP-0003";
  /** The agent's SAP settings are wrong. */
  public static final String CONFIGURATION = "FERRY-SAP-0004";
  /**
   * The customer was changed concurrently in SAP between Ferry's read and its change (OData: {@code 412}
   * on {@code If-Match}); reported as {@link SapException.Kind#BUSINESS}, never retried blindly.
   */
  public static final String CONFLICT = "FERRY-SAP-0005";
  /**
   * The agent's circuit breaker to this SAP backend is open after consecutive transient failures: the call
   * was not sent to SAP. Reported as {@link SapException.Kind#UNAVAILABLE} with the remaining cool-down as
   * {@link SapException#retryAfter()}.
   */
  public static final String BREAKER_OPEN = "FERRY-SAP-0006";
  /**
   * SAP may have created the customer although the create failed, and the agent could not look it up
   * (no {@code externalId} and no {@code sap.correlation-field}, or the look-up failed too); reported as
   * {@link SapException.Kind#OUTCOME_UNKNOWN}.
   */
  public static final String OUTCOME_UNKNOWN = "FERRY-SAP-0007";
  /**
   * The agent's configuration lacks a setting this request needs, such as
   * {@code sap.reference-customer.<sales area>}: {@link SapException#missingSetting}.
   */
  public static final String SETTING_MISSING = "FERRY-SAP-0008";

  private SapErrorCodes() {}
}
