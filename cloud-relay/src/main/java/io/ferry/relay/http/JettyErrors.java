package io.ferry.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Answers for what Jetty refuses before Javalin sees it (a malformed request line, headers over the
 * size limit): problems like every other answer, never Jetty's HTML page or a stack trace.
 */
final class JettyErrors extends ErrorHandler {

  static final String CODE = "FERRY-RELAY-0109";
  private static final String TYPE = "https://ferry.dev/problems/bad-http-request";
  private static final org.slf4j.Logger ACCESS = org.slf4j.LoggerFactory.getLogger(AccessLog.LOGGER);

  JettyErrors() {
    setShowStacks(false);
    setShowServlet(false);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    // Never reached Javalin, so AccessLog did not see it: the line in its format, with what is known.
    ACCESS.info("- - {} - ms tenant=- code={} reason={}", status, status >= 500 ? ProblemType.INTERNAL.code : CODE,
        reason);
    fields.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    return ByteBuffer.wrap(json(status, reason, null));
  }

  @Override
  protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
      HttpServletResponse response, int code, String message) throws IOException {
    baseRequest.setHandled(true);
    response.setContentType(Problem.MEDIA_TYPE);
    response.getOutputStream().write(json(code, message, request.getRequestURI()));
  }

  private static byte[] json(int status, String reason, String instance) {
    boolean server = status >= 500;
    Problem problem = new Problem(TYPE, server ? "The relay could not handle the request" : "The request is not valid HTTP",
        status, reason == null || reason.isBlank() ? "HTTP " + status : reason, instance,
        server ? ProblemType.INTERNAL.code : CODE, server, null, null);
    try {
      return Protocol.json().writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem always serialises", e);
    }
  }
}
