package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A job as the relay hands it to an agent.
 *
 * <p>Which payload field is set depends on {@link #action()}: {@code customer} for a create,
 * {@code customerNumber} and {@code changes} (a JSON merge patch of {@link Customer}, already validated
 * by the relay) for an update, {@code customerNumber} for a read, {@code customer} (with its
 * {@code externalId}) for an upsert, {@code search} for a search.
 *
 * @param attempt 1 for the first delivery; a lapsed lease redelivers the job with attempt + 1
 * @param leaseExpiresAt the agent must renew or finish before this instant, or the job goes back to the queue
 * @param deadline after this instant the result no longer matters to anyone
 * @param traceparent the W3C trace context of the engine's request, so one creation can be followed end to end
 * @param ifMatch for an update: the engine's precondition, an {@code If-Match} value ({@code *} or entity
 *     tags of {@link CustomerETag}); the agent reads the customer first and fails the job with
 *     {@link JobError.Kind#PRECONDITION_FAILED} when it does not match. Absent: update unconditionally.
 *     Added in protocol version 1 as an optional field; an agent that predates it ignores it.
 * @param search for a search: what to look for and which page
 * @param payload for an action that {@linkplain Action#carriesPayload() carries a payload} (sales orders and
 *     every business object after customers): the request as JSON, of the type the action names. Added in
 *     protocol version 1 as an optional field.
 * @param signature the relay's signature over every other field ({@link JobSignature}); the agent
 *     checks it against the relay key pinned at enrollment. Added in protocol version 1 as an optional field.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobEnvelope(
    int protocolVersion,
    String jobId,
    Action action,
    int attempt,
    Instant leaseExpiresAt,
    Instant deadline,
    String customerNumber,
    Customer customer,
    ObjectNode changes,
    String traceparent,
    String ifMatch,
    SearchQuery search,
    ObjectNode payload,
    String signature) {

  /** An unsigned envelope. */
  public JobEnvelope(int protocolVersion, String jobId, Action action, int attempt, Instant leaseExpiresAt,
      Instant deadline, String customerNumber, Customer customer, ObjectNode changes, String traceparent,
      String ifMatch, SearchQuery search) {
    this(protocolVersion, jobId, action, attempt, leaseExpiresAt, deadline, customerNumber, customer, changes,
        traceparent, ifMatch, search, null, null);
  }

  /** An unsigned envelope of an action that carries its request as {@code payload}. */
  public static JobEnvelope withPayload(int protocolVersion, String jobId, Action action, int attempt,
      Instant leaseExpiresAt, Instant deadline, String traceparent, ObjectNode payload) {
    return new JobEnvelope(protocolVersion, jobId, action, attempt, leaseExpiresAt, deadline, null, null, null,
        traceparent, null, null, payload, null);
  }

  public JobEnvelope withSignature(String newSignature) {
    return new JobEnvelope(protocolVersion, jobId, action, attempt, leaseExpiresAt, deadline, customerNumber,
        customer, changes, traceparent, ifMatch, search, payload, newSignature);
  }
}
