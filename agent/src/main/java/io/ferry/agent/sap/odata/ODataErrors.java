package io.ferry.agent.sap.odata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapException.Kind;
import io.ferry.protocol.SapMessage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * The one place OData answers become {@link SapMessage}s and {@link SapException}s, so an engine sees
 * the same {@code sapMessages} whichever backend ran: SAP's error JSON ({@code error.code}
 * {@code CLASS/NNN}, {@code message.value}, {@code innererror.errordetails[]}) and the {@code sap-message}
 * header become messages with {@code type} from the severity (error E, warning W, info I, success S),
 * {@code id} the message class and {@code number} the three digits.
 *
 * <p>Status → kind: 404 NOT_FOUND (a service that is not there is CONFIGURATION); 401 and 403 (a 403
 * without {@code X-CSRF-Token: Required}) CONFIGURATION; 412 BUSINESS with {@link SapErrorCodes#CONFLICT};
 * 408, 429, 500, 502, 503, 504 and other 5xx UNAVAILABLE; other 4xx BUSINESS. Messages name the
 * service URL and the user, never a password or the Authorization header.
 */
final class ODataErrors {

  static final ObjectMapper JSON = new ObjectMapper();

  private ODataErrors() {}

  /** The messages of SAP's error JSON; empty when the body is not SAP's error JSON. */
  static List<SapMessage> fromErrorBody(String body) {
    JsonNode error;
    try {
      error = body == null || body.isBlank() ? null : JSON.readTree(body).get("error");
    } catch (IOException e) {
      return List.of();
    }
    if (error == null || !error.isObject()) {
      return List.of();
    }
    List<SapMessage> messages = new ArrayList<>();
    SapMessage top = message(text(error.get("code")), text(error.at("/message/value")), "error");
    for (JsonNode d : error.at("/innererror/errordetails")) {
      messages.add(message(text(d.get("code")), text(d.get("message")), text(d.get("severity"))));
    }
    boolean topListed = messages.stream().anyMatch(m -> same(m, top));
    if (!topListed && (top.id() != null || top.message() != null)) {
      messages.add(0, top);
    }
    return messages;
  }

  /** The messages of a {@code sap-message} header: the message and its {@code details}. */
  static List<SapMessage> fromSapMessageHeader(String header) {
    if (header == null || header.isBlank()) {
      return List.of();
    }
    try {
      JsonNode root = JSON.readTree(header);
      List<SapMessage> messages = new ArrayList<>();
      messages.add(message(text(root.get("code")), text(root.get("message")), text(root.get("severity"))));
      for (JsonNode d : root.path("details")) {
        messages.add(message(text(d.get("code")), text(d.get("message")), text(d.get("severity"))));
      }
      return messages;
    } catch (IOException e) {
      return List.of(new SapMessage("I", null, null, header));
    }
  }

  /** {@code CLASS/NNN} into class and number; {@code /IWBEP/CM_MGW_RT/020} has the class {@code /IWBEP/CM_MGW_RT}. */
  static SapMessage message(String code, String text, String severity) {
    String id = code;
    String number = null;
    if (code != null) {
      int slash = code.lastIndexOf('/');
      String tail = slash < 0 ? "" : code.substring(slash + 1);
      if (slash > 0 && tail.length() == 3 && tail.chars().allMatch(Character::isDigit)) {
        id = code.substring(0, slash);
        number = tail;
      }
    }
    return new SapMessage(type(severity), blankToNull(id), number, blankToNull(text));
  }

  static String type(String severity) {
    if (severity == null) {
      return "E";
    }
    return switch (severity.strip().toLowerCase(Locale.ROOT)) {
      case "error" -> "E";
      case "warning" -> "W";
      case "info", "information" -> "I";
      case "success" -> "S";
      case "abort" -> "A";
      default -> "I";
    };
  }

  /** A failed answer as the exception its status calls for. */
  static SapException failure(ODataClient.Reply reply, String action, ODataSettings settings) {
    List<SapMessage> messages = fromErrorBody(reply.body());
    String sap = messages.isEmpty() ? "" : ": " + first(messages);
    String where = " (HTTP " + reply.status() + " from " + settings.serviceUrl() + ")";
    return switch (reply.status()) {
      case 401 -> configuration("SAP refused the logon " + who(settings) + " while " + action + where
          + "; check user/password or certificate, and whether the user is locked" + sap, messages);
      case 403 -> configuration("SAP refused access " + who(settings) + " while " + action + where
          + "; the user's role for API_BUSINESS_PARTNER is missing" + sap, messages);
      case 404 -> serviceMissing(reply, messages)
          ? configuration("the OData service is not there" + where + "; check sap.odata.service-url and activate the "
              + "service API_BUSINESS_PARTNER in /IWFND/MAINT_SERVICE" + sap, messages)
          : new SapException(Kind.NOT_FOUND, SapErrorCodes.NOT_FOUND, "SAP found nothing while " + action + where + sap,
              messages);
      case 412 -> new SapException(Kind.BUSINESS, SapErrorCodes.CONFLICT, "changed concurrently in SAP while "
          + action + where + sap, messages);
      case 408, 429 -> unavailable("SAP is busy while " + action + where + sap, messages, null);
      default -> reply.status() >= 500
          ? unavailable("SAP failed while " + action + where + sap, messages, null)
          : new SapException(Kind.BUSINESS, SapErrorCodes.BUSINESS, "SAP refused " + action + where + sap, messages);
    };
  }

  /** A request that got no answer. */
  static SapException io(IOException e, String action, ODataSettings settings) {
    if (e instanceof SSLException) {
      return new SapException(Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION, "TLS with " + settings.serviceUrl()
          + " failed while " + action + ": " + e.getMessage() + "; check that the JVM trusts SAP's server certificate"
          + " and, if one is used, sap.odata.client-certificate", List.of(), e);
    }
    if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
      return unavailable("SAP did not answer in time while " + action + " (" + settings.serviceUrl()
          + ", sap.odata.connect-timeout " + settings.connectTimeout().toMillis() + " ms, sap.odata.read-timeout "
          + settings.readTimeout().toMillis() + " ms): " + e.getMessage(), List.of(), e);
    }
    return unavailable("SAP is not reachable at " + settings.serviceUrl() + " while " + action + ": " + e, List.of(), e);
  }

  /** Whether the request surely never reached SAP: the connection was refused or the host is unknown. */
  static boolean neverSent(IOException e) {
    return e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException
        || e instanceof java.net.NoRouteToHostException;
  }

  /** A create's failure after which SAP may hold the customer: the same message, as OUTCOME_UNKNOWN. */
  static SapException outcomeUnknown(SapException failure) {
    return new SapException(Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN, failure.getMessage()
        + "; SAP may have created the customer", failure.sapMessages(), failure);
  }

  static SapException configuration(String message, List<SapMessage> messages) {
    return new SapException(Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION, message, messages);
  }

  static SapException business(String message, List<SapMessage> messages) {
    return new SapException(Kind.BUSINESS, SapErrorCodes.BUSINESS, message, messages);
  }

  static SapException unavailable(String message, List<SapMessage> messages, Throwable cause) {
    return new SapException(Kind.UNAVAILABLE, SapErrorCodes.UNAVAILABLE, message, messages, cause);
  }

  static String first(List<SapMessage> messages) {
    SapMessage m = messages.stream().filter(SapMessage::isError).findFirst().orElse(messages.get(0));
    return (m.id() == null ? "" : m.id() + (m.number() == null ? "" : "/" + m.number()) + " ") + m.message();
  }

  /** Gateway's "no service found" or a 404 that is not OData at all (a wrong path in front of SAP). */
  private static boolean serviceMissing(ODataClient.Reply reply, List<SapMessage> messages) {
    return messages.isEmpty() || messages.stream().anyMatch(m -> "/IWFND/MED".equals(m.id()) && "170".equals(m.number()));
  }

  private static String who(ODataSettings settings) {
    return settings.user() != null ? "of user " + settings.user() : "of the client certificate";
  }

  private static boolean same(SapMessage a, SapMessage b) {
    return java.util.Objects.equals(a.id(), b.id()) && java.util.Objects.equals(a.number(), b.number())
        && java.util.Objects.equals(a.message(), b.message());
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
