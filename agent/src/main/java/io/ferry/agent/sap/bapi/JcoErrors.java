package io.ferry.agent.sap.bapi;

import com.sap.conn.jco.JCoException;
import com.sap.conn.jco.JCoRuntimeException;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapException.Kind;
import java.util.List;

/**
 * The one place JCo failures become {@link SapException}s. The group decides: a network, pool or
 * timeout problem is worth a retry (UNAVAILABLE); a refused logon, a missing function module or
 * invalid destination data needs the operator (CONFIGURATION). JCo's messages name no password, and
 * nothing here adds destination properties.
 */
final class JcoErrors {

  private JcoErrors() {}

  static SapException map(JCoException e, String destination, String action) {
    String what = "SAP destination '" + destination + "', " + action + ": " + e.getMessage();
    return switch (e.getGroup()) {
      case JCoException.JCO_ERROR_COMMUNICATION, JCoException.JCO_ERROR_RESOURCE, JCoException.JCO_ERROR_TIMEOUT ->
          new SapException(Kind.UNAVAILABLE, SapErrorCodes.UNAVAILABLE, "SAP is not reachable through " + what, List.of(), e);
      case JCoException.JCO_ERROR_LOGON_FAILURE, JCoException.JCO_ERROR_PASSWORD_CHANGE_REQUIRED ->
          configuration("SAP refused the logon of " + what + "; check jco.client.user and jco.client.passwd", e);
      case JCoException.JCO_ERROR_FUNCTION_NOT_FOUND ->
          configuration("a function module is missing in " + what, e);
      case JCoException.JCO_ERROR_DESTINATION_DATA_INVALID ->
          configuration("the destination properties are invalid for " + what, e);
      case JCoException.JCO_ERROR_SYSTEM_FAILURE -> BapiDiagnosis.isAuthorization(e)
          ? configuration("the SAP user lacks an RFC authorisation in " + what
              + "; grant S_RFC for the function module named", e)
          : new SapException(Kind.UNAVAILABLE, SapErrorCodes.UNAVAILABLE,
              "SAP failed (JCo group " + e.getGroup() + ") for " + what, List.of(), e);
      default -> new SapException(Kind.UNAVAILABLE, SapErrorCodes.UNAVAILABLE,
          "SAP failed (JCo group " + e.getGroup() + ") for " + what, List.of(), e);
    };
  }

  /**
   * Looking a destination up fails with group 106 only when the provider does not know its name
   * (an exhausted pool shows on calls, not here): that is the operator's setting, not an outage.
   */
  static SapException mapLookup(JCoException e, String destination) {
    if (e.getGroup() == JCoException.JCO_ERROR_RESOURCE) {
      return configuration("SAP destination '" + destination + "' is not configured: " + e.getMessage()
          + "; check sap.destination and the agent's JCo destinations", e);
    }
    return map(e, destination, "looking up the destination");
  }

  /** The system's interface differs from the one Ferry was written against (a field it lacks). */
  static SapException map(JCoRuntimeException e, String destination, String action) {
    return configuration("SAP destination '" + destination + "', " + action
        + ": the function interface differs from what Ferry expects: " + e.getMessage(), e);
  }

  /**
   * A failure after SAP may have committed (the connection broke during the commit, or the re-read after
   * it failed): whatever JCo's group, nobody knows whether the customer exists now.
   */
  static SapException outcomeUnknown(Exception e, String destination, String action) {
    return new SapException(Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN, "SAP destination '" + destination
        + "', " + action + ": " + e.getMessage() + "; SAP may have created the customer", List.of(), e);
  }

  static SapException configuration(String message, Throwable cause) {
    return new SapException(Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION, message, List.of(), cause);
  }

  static SapException business(String message, List<io.ferry.protocol.SapMessage> messages) {
    return new SapException(Kind.BUSINESS, SapErrorCodes.BUSINESS, message, messages);
  }

  static SapException notFound(String customerNumber, List<io.ferry.protocol.SapMessage> messages) {
    return new SapException(Kind.NOT_FOUND, SapErrorCodes.NOT_FOUND,
        "SAP has no customer " + customerNumber, messages);
  }
}
