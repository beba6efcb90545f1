package io.ferry.odatapeer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.olingo.odata2.api.commons.HttpStatusCodes;
import org.apache.olingo.odata2.api.exception.ODataMessageException;
import org.apache.olingo.odata2.api.processor.ODataErrorCallback;
import org.apache.olingo.odata2.api.processor.ODataErrorContext;
import org.apache.olingo.odata2.api.processor.ODataResponse;
import org.apache.olingo.odata2.core.exception.MessageService;

/**
 * SAP Gateway's error JSON and {@code sap-message} header. Olingo calls {@link #handleError} for every
 * failure of a request (the processor's {@link SapError}s and Olingo's own, such as an unknown entity
 * set or a malformed body), so every error the peer answers has SAP's shape:
 *
 * <pre>
 * {"error":{"code":"CVI_API/003","message":{"lang":"en","value":"…"},
 *   "innererror":{"application":{…},"transactionid":"…","timestamp":"…",
 *     "errordetails":[{"code":"CVI_API/003","message":"…","propertyref":"","severity":"error","target":"…","transition":false}]}}}
 * </pre>
 */
final class GatewayErrors implements ODataErrorCallback {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSSSSS");

  private final Clock clock;

  GatewayErrors(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ODataResponse handleError(ODataErrorContext context) {
    HttpStatusCodes status = context.getHttpStatus() == null ? HttpStatusCodes.INTERNAL_SERVER_ERROR : context.getHttpStatus();
    List<SapError.Detail> details;
    if (context.getException() instanceof SapError e) {
      details = e.details();
    } else {
      // Olingo's own finding (URI, content type, JSON syntax, facets): the peer's message class.
      String message = innermostMessage(context.getException());
      if (message == null) {
        message = context.getMessage() == null ? status.getInfo() : context.getMessage();
      }
      details = List.of(SapError.Detail.error("ZFERRY_PEER/" + status.getStatusCode(), message, ""));
    }
    return response(status, details);
  }

  /**
   * The text of the innermost Olingo message in the cause chain: "The metadata constraints '[MaxLength=40…]'
   * do not match…" says more than the wrapper's "An exception of type 'EdmSimpleTypeException' occurred".
   */
  private static String innermostMessage(Throwable e) {
    String text = null;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof ODataMessageException m && m.getMessageReference() != null) {
        String candidate = MessageService.getMessage(Locale.ENGLISH, m.getMessageReference()).getText();
        if (candidate != null && !candidate.isBlank()) {
          text = candidate;
        }
      }
    }
    return text;
  }

  ODataResponse response(HttpStatusCodes status, List<SapError.Detail> details) {
    return ODataResponse.status(status)
        .contentHeader("application/json;charset=utf-8")
        .entity(body(details))
        .build();
  }

  byte[] body(List<SapError.Detail> details) {
    SapError.Detail first = details.get(0);
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", first.code());
    ObjectNode message = error.putObject("message");
    message.put("lang", "en");
    message.put("value", first.message());
    ObjectNode inner = error.putObject("innererror");
    ObjectNode application = inner.putObject("application");
    application.put("component_id", "LO-MD-BP");
    application.put("service_namespace", "/SAP/");
    application.put("service_id", "API_BUSINESS_PARTNER");
    application.put("service_version", "0001");
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    inner.put("transactionid", HexFormat.of().withUpperCase().formatHex(id));
    inner.put("timestamp", TIMESTAMP.format(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)));
    ArrayNode list = inner.putArray("errordetails");
    for (SapError.Detail d : details) {
      ObjectNode n = list.addObject();
      n.put("code", d.code());
      n.put("message", d.message());
      n.put("propertyref", "");
      n.put("severity", d.severity());
      n.put("target", d.target() == null ? "" : d.target());
      n.put("transition", false);
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The {@code sap-message} header: the first message with the others as {@code details}, as SAP
   * Gateway sends success, info and warning messages of a request that worked.
   */
  static String sapMessageHeader(List<SapError.Detail> messages) {
    SapError.Detail first = messages.get(0);
    ObjectNode root = message(first);
    ArrayNode details = root.putArray("details");
    for (SapError.Detail d : messages.subList(1, messages.size())) {
      details.add(message(d));
    }
    return root.toString();
  }

  private static ObjectNode message(SapError.Detail d) {
    ObjectNode n = JSON.createObjectNode();
    n.put("code", d.code());
    n.put("message", d.message());
    n.put("target", d.target() == null ? "" : d.target());
    n.put("severity", d.severity());
    n.put("transition", false);
    return n;
  }
}
