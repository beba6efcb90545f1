package io.ferry.agent.sap.resilience;

import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

/**
 * Which SAP failures a retry can help, and which of those leave a create safe to send again.
 *
 * <p>Transient: {@link SapException.Kind#UNAVAILABLE} — JCo groups 102 (communication), 106 (resource,
 * an exhausted pool) and 135 (timeout), HTTP 408/429/5xx and timeouts of the OData backend (which
 * refreshes a stale CSRF token itself). Never transient: BUSINESS (RETURN type E/A, HTTP 4xx), NOT_FOUND,
 * FORBIDDEN and CONFIGURATION, and the breaker's own refusal (retrying it would only spin).
 *
 * <p>Safe for a create: only a failure that proves the request never reached SAP — the TCP connection
 * was refused ({@link ConnectException}), the host name did not resolve ({@link UnknownHostException}) or
 * had no route ({@link NoRouteToHostException}). Everything else may have happened after SAP committed:
 * a JCo 102 or 135 during the execution of {@code BAPI_CUSTOMER_CREATEFROMDATA1} or of the commit, a
 * read timeout or a 502/504 after the OData deep insert was sent, a failure of the re-read after the
 * commit. JCo does not tell whether its connection broke before or after the function module ran, so no
 * JCo failure counts as safe. After an unsafe failure a create is sent again only after the customer's
 * {@code externalId} was looked up in SAP and not found; without an {@code externalId} it is not retried.
 */
final class Transience {

  private Transience() {}

  static boolean isTransient(SapException e) {
    return e.kind() == SapException.Kind.UNAVAILABLE && !SapErrorCodes.BREAKER_OPEN.equals(e.code());
  }

  static boolean neverReachedSap(SapException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
