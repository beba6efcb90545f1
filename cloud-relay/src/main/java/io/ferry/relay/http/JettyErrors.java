package io.ferry.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

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
    setShowCauses(false);
  }

  /** Whatever the request accepts: a client that sent a broken request gets the same problem body as any other. */
  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    // Jetty's message for a refused request is the exception's toString(); its reason is what a client can read.
    String reason = cause instanceof HttpException http ? http.getReason() : message;
    // Never reached Javalin, so AccessLog did not see it: the line in its format, with what is known.
    ACCESS.info("- - {} - ms tenant=- code={} reason={}", code, code >= 500 ? ProblemType.INTERNAL.code : CODE, reason);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    if (cause instanceof HttpException) {
      // Jetty 12 closes the connection after a request it could not parse; said so, a client does not reuse it.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    response.write(true, ByteBuffer.wrap(json(code, reason, instance(request))), callback);
  }

  private static String instance(Request request) {
    HttpURI uri = request.getHttpURI();
    return uri == null || uri.getPath() == null || uri.getPath().isEmpty() ? null : uri.getPath();
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
