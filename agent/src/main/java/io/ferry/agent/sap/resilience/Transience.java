package io.ferry.agent.sap.resilience;

import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;

/**
 * Which SAP failures a retry can help.
 *
 * <p>Transient: {@link SapException.Kind#UNAVAILABLE} — JCo groups 102 (communication), 106 (resource,
 * an exhausted pool) and 135 (timeout), HTTP 408/429/5xx and timeouts of the OData backend (which
 * refreshes a stale CSRF token itself) — and {@link SapException.Kind#OUTCOME_UNKNOWN}, a create that may
 * have reached SAP, which is retried only after a look-up ({@link Resilience}). Never transient:
 * BUSINESS (RETURN type E/A, HTTP 4xx), NOT_FOUND, FORBIDDEN and CONFIGURATION, and the breaker's own
 * refusal (retrying it would only spin).
 *
 * <p>Which create failures leave SAP untouched the backends decide, as only they know how far a call got:
 * a BAPI whose connection broke before the commit was rolled back by SAP, an OData POST whose connection
 * was refused never arrived (see {@link SapException.Kind#OUTCOME_UNKNOWN}).
 */
final class Transience {

  private Transience() {}

  static boolean isTransient(SapException e) {
    return (e.kind() == SapException.Kind.UNAVAILABLE || e.kind() == SapException.Kind.OUTCOME_UNKNOWN)
        && !SapErrorCodes.BREAKER_OPEN.equals(e.code());
  }
}
