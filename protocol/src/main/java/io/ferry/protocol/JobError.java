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
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobError(Kind kind, String code, String message, List<SapMessage> sapMessages) {

  public JobError {
    sapMessages = sapMessages == null ? List.of() : List.copyOf(sapMessages);
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
    PRECONDITION_FAILED
  }
}
