package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Why a job failed, in terms the relay can turn into an HTTP problem without knowing which SAP
 * backend ran.
 *
 * @param code a stable Ferry error code such as {@code FERRY-SAP-0001}
 * @param message a sentence for a person; never contains credentials
 * @param sapMessages SAP's own messages when SAP refused
 * @param retryAfterSeconds optional (absent on the wire when null): how long the agent advises the caller to
 *     wait before trying again, for example the remaining cool-down of its open circuit breaker to SAP;
 *     the relay answers it as the {@code Retry-After} of its 503. Added in protocol version 1 as an
 *     optional field: older agents leave it out and older relays ignore it
 * @param abapException optional: the key of the ABAP exception a function module raised ({@code
 *     TABLE_NOT_AVAILABLE}), for a failed {@code function.call}; the relay answers it as the problem's
 *     {@code abapException}. Added in protocol version 1 as an optional field
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobError(Kind kind, String code, String message, List<SapMessage> sapMessages, Integer retryAfterSeconds,
    String abapException) {

  public JobError {
    sapMessages = sapMessages == null ? List.of() : List.copyOf(sapMessages);
    if (retryAfterSeconds != null && retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must not be negative, was " + retryAfterSeconds);
    }
  }

  /** A failure that is no ABAP exception. */
  public JobError(Kind kind, String code, String message, List<SapMessage> sapMessages, Integer retryAfterSeconds) {
    this(kind, code, message, sapMessages, retryAfterSeconds, null);
  }

  /** A failure without advice on when to retry. */
  public JobError(Kind kind, String code, String message, List<SapMessage> sapMessages) {
    this(kind, code, message, sapMessages, null, null);
  }

  /** The failure classes an engine can act on; each maps to one HTTP status. */
  public enum Kind {
    /** SAP refused the data (a RETURN message of type E or A, an OData 4xx): 422, do not retry. */
    SAP_BUSINESS_ERROR,
    /** The customer does not exist: 404. */
    NOT_FOUND,
    /** SAP could not be reached or was overloaded: 503, retry later. */
    SAP_UNAVAILABLE,
    /** The agent's local policy does not allow this: 403. */
    FORBIDDEN,
    /** The job itself was not valid for this agent (for example no reference customer configured): 422. */
    INVALID_REQUEST,
    /** A fault in Ferry: 500. */
    INTERNAL,
    /**
     * The customer in SAP no longer matches the job's {@code ifMatch}: someone changed it since the engine
     * read it. 412; read it again and decide.
     */
    PRECONDITION_FAILED,
    /**
     * SAP may have done what was asked (a create's connection broke after it was sent, a 5xx after the
     * POST) and the agent could not find out whether it did: 502, do not retry; check SAP first. Added in
     * protocol version 1: relays are upgraded before agents (docs/operations.md), so a relay knows it.
     */
    OUTCOME_UNKNOWN,
    /**
     * The agent's configuration lacks a setting this request needs (a reference customer for its sales
     * area): 422, do not retry until an operator added it. Added as {@link #OUTCOME_UNKNOWN} was.
     */
    SAP_CONFIGURATION;

    /**
     * The HTTP status the relay answers an engine with for a job that failed so, as named above: what the
     * agent's and the relay's FAILED log lines print, so both sides tell the same story.
     */
    public int httpStatus() {
      return switch (this) {
        case SAP_BUSINESS_ERROR, INVALID_REQUEST, SAP_CONFIGURATION -> 422;
        case NOT_FOUND -> 404;
        case SAP_UNAVAILABLE -> 503;
        case FORBIDDEN -> 403;
        case INTERNAL -> 500;
        case PRECONDITION_FAILED -> 412;
        case OUTCOME_UNKNOWN -> 502;
      };
    }
  }
}
