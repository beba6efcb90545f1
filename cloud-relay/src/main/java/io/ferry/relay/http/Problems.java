package io.ferry.relay.http;

import io.ferry.protocol.JobError;
import io.ferry.protocol.Problem;
import io.ferry.relay.objects.BusinessObject;
import io.ferry.relay.store.StoreException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become {@code application/problem+json}: thrown problems, Javalin's
 * own 404/405/413, agent-reported job errors, and anything unexpected (a 500 that names the request
 * id and carries no stack trace; the trace goes to the log, once).
 */
final class Problems {

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  static final String RETRY_AFTER = "Retry-After";

  private Problems() {}

  static Answer answer(ProblemException p, String instance) {
    Problem problem = problem(p, instance);
    Object body = problem;
    if (p.abapException() != null) {
      // An extension member (RFC 9457 §3.2): the protocol's Problem has none, so it is added to the JSON.
      body = io.ferry.protocol.Protocol.json().valueToTree(problem);
      ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("abapException", p.abapException());
    }
    Answer answer = Answer.body(p.type.status, Problem.MEDIA_TYPE, body).problem(p.code());
    for (var h : p.headers().entrySet()) {
      answer = answer.header(h.getKey(), h.getValue());
    }
    return answer;
  }

  /** The RFC 9457 body of {@code p}. */
  static Problem problem(ProblemException p, String instance) {
    return new Problem(p.type.type.toString(), p.type.title, p.type.status, p.detail, instance, p.code(),
        p.type.retryable, p.sapMessages(), p.errors());
  }

  /** Maps anything thrown while answering {@code ctx} to a problem answer. */
  static Answer fromThrowable(Throwable thrown, Context ctx) {
    Throwable t = unwrap(thrown);
    String path = ctx.path();
    if (t instanceof ProblemException p) {
      return answer(p, path);
    }
    if (t instanceof HttpResponseException h) {
      return answer(fromJavalin(h, ctx), path);
    }
    String requestId = RequestIds.of(ctx);
    if (t instanceof StoreException) {
      LOG.error("request {} {} {}: {}", requestId, ctx.method(), path, t.getMessage());
      return answer(new ProblemException(ProblemType.STORE_UNAVAILABLE,
          "the relay could not read or write its store; try again shortly (request id " + requestId + ")")
          .header(RETRY_AFTER, "5"), path);
    }
    LOG.error("request {} {} {} failed unexpectedly", requestId, ctx.method(), path, t);
    return answer(new ProblemException(ProblemType.INTERNAL,
        "the relay failed unexpectedly; quote request id " + requestId + " when reporting it"), path);
  }

  /** As {@link #forJobError(BusinessObject, JobError)}, for a job about a customer. */
  static ProblemException forJobError(JobError error) {
    return forJobError(BusinessObject.CUSTOMER, error);
  }

  /** The problem an agent-reported failure of a job about {@code object} stands for, by its kind. */
  static ProblemException forJobError(BusinessObject object, JobError error) {
    JobError.Kind kind = error.kind() == null ? JobError.Kind.INTERNAL : error.kind();
    String message = error.message() == null || error.message().isBlank() ? null : error.message();
    if (io.ferry.relay.dispatch.JobOutput.INVALID_RESULT_CODE.equals(error.code())) { // the relay's own verdict on a result
      return new ProblemException(ProblemType.INVALID_AGENT_RESULT,
          or(message, "the agent reported a result that breaks the " + object.model()));
    }
    ProblemException p = switch (kind) {
      case SAP_BUSINESS_ERROR -> new ProblemException(ProblemType.SAP_BUSINESS_ERROR,
          or(message, "SAP refused the request; see sapMessages"));
      case NOT_FOUND -> new ProblemException(notFound(object), or(message, "SAP has no such " + object.noun()));
      case SAP_UNAVAILABLE -> new ProblemException(ProblemType.SAP_UNAVAILABLE,
          or(message, "the agent could not reach SAP; try again later")).header(RETRY_AFTER, retryAfter(error));
      case FORBIDDEN -> new ProblemException(ProblemType.FORBIDDEN_BY_AGENT,
          or(message, "the agent's allowlist does not permit this action"));
      case INVALID_REQUEST -> new ProblemException(ProblemType.INVALID_FOR_AGENT,
          or(message, "the agent cannot run this request"));
      case INTERNAL -> new ProblemException(ProblemType.AGENT_FAILED, or(message, "the agent failed"));
      case PRECONDITION_FAILED -> new ProblemException(ProblemType.PRECONDITION_FAILED,
          or(message, "the customer changed since the version the request expected; read it again"));
      case OUTCOME_UNKNOWN -> new ProblemException(ProblemType.OUTCOME_UNKNOWN,
          or(message, "SAP may have done it, but its answer was lost; check SAP before sending the request again"));
      case SAP_CONFIGURATION -> new ProblemException(ProblemType.SAP_CONFIGURATION,
          or(message, "the agent's configuration lacks a setting this request needs; ask its operator"));
    };
    return p.code(error.code()).sapMessages(error.sapMessages()).abapException(error.abapException());
  }

  /** "Not found" names the object the job was about. */
  private static ProblemType notFound(BusinessObject object) {
    return switch (object) {
      case CUSTOMER -> ProblemType.CUSTOMER_NOT_FOUND;
      case SALES_ORDER -> ProblemType.SALES_ORDER_NOT_FOUND;
      case FUNCTION -> ProblemType.FUNCTION_NOT_FOUND;
      case ODATA -> ProblemType.ODATA_RESOURCE_NOT_FOUND;
      case CATALOG -> ProblemType.NOT_FOUND;
    };
  }

  private static ProblemException fromJavalin(HttpResponseException h, Context ctx) {
    return switch (h.getStatus()) {
      case 404 -> new ProblemException(ProblemType.NOT_FOUND,
          "there is no " + ctx.method() + " " + ctx.path() + "; see the relay's README for its endpoints");
      case 405 -> {
        String allowed = h.getDetails().values().stream().findFirst().orElse("");
        ProblemException p = new ProblemException(ProblemType.METHOD_NOT_ALLOWED,
            ctx.path() + " does not take " + ctx.method() + (allowed.isEmpty() ? "" : "; it takes " + allowed));
        yield allowed.isEmpty() ? p : p.header("Allow", allowed);
      }
      case 413 -> Bodies.tooLarge(ctx);
      default -> new ProblemException(h.getStatus() >= 500 ? ProblemType.INTERNAL : ProblemType.NOT_FOUND,
          h.getMessage());
    };
  }

  /**
   * The agent's own advice (its circuit breaker's remaining cool-down), at least one second; 30 s when the
   * agent gave none.
   */
  static String retryAfter(JobError error) {
    Integer seconds = error.retryAfterSeconds();
    return seconds == null ? DEFAULT_SAP_RETRY_AFTER : Integer.toString(Math.max(1, seconds));
  }

  private static final String DEFAULT_SAP_RETRY_AFTER = "30";

  private static String or(String value, String fallback) {
    return value != null ? value : fallback;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
