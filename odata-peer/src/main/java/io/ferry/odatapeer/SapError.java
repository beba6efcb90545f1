package io.ferry.odatapeer;

import java.util.List;
import java.util.Locale;
import org.apache.olingo.odata2.api.commons.HttpStatusCodes;
import org.apache.olingo.odata2.api.exception.ODataApplicationException;

/**
 * An error as SAP Gateway reports it: an HTTP status and one or more messages {@code CLASS/NNN}; the
 * first is the error's {@code code} and {@code message}, all appear in {@code innererror.errordetails}.
 * {@link GatewayErrors} renders it as SAP's error JSON.
 */
final class SapError extends ODataApplicationException {

  private static final long serialVersionUID = 1L;

  /** One message: {@code code} is {@code CLASS/NNN}, {@code target} the property or entity it is about. */
  record Detail(String code, String message, String target, String severity) {

    static Detail error(String code, String message, String target) {
      return new Detail(code, message, target, "error");
    }
  }

  private final transient List<Detail> details;

  SapError(HttpStatusCodes status, List<Detail> details) {
    super(details.get(0).message(), Locale.ENGLISH, status, details.get(0).code());
    this.details = List.copyOf(details);
  }

  SapError(HttpStatusCodes status, String code, String message) {
    this(status, List.of(Detail.error(code, message, "")));
  }

  List<Detail> details() {
    return details;
  }

  // The peer's own messages. Their class ZFERRY_PEER is in SAP's customer namespace: nothing here
  // pretends to be a message SAP delivers.

  static SapError notFound(String what) {
    return new SapError(HttpStatusCodes.NOT_FOUND, "ZFERRY_PEER/404", "Resource not found: " + what);
  }

  static SapError badRequest(String message) {
    return new SapError(HttpStatusCodes.BAD_REQUEST, "ZFERRY_PEER/400", message);
  }

  static SapError preconditionRequired(String what) {
    return new SapError(HttpStatusCodes.PRECONDITION_REQUIRED, "ZFERRY_PEER/428",
        "An If-Match header with the ETag of " + what + " is required to change it");
  }

  static SapError preconditionFailed(String what) {
    return new SapError(HttpStatusCodes.PRECONDITION_FAILED, "ZFERRY_PEER/412",
        what + " was changed in the meantime: its ETag does not match If-Match; read it again");
  }

  static SapError notAllowed(String message) {
    return new SapError(HttpStatusCodes.METHOD_NOT_ALLOWED, "ZFERRY_PEER/405", message);
  }

  static SapError notImplemented(String message) {
    return new SapError(HttpStatusCodes.NOT_IMPLEMENTED, "ZFERRY_PEER/501", message);
  }
}
