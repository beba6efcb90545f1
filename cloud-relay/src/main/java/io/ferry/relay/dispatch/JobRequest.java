package io.ferry.relay.dispatch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Customer;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SearchQuery;
import io.ferry.relay.store.StoreException;

/**
 * What the engine asked for, as stored in {@code jobs.request_json} and handed to the agent in the
 * {@link io.ferry.protocol.JobEnvelope}: the customer for a create or an upsert (with the external id
 * from the path), the number (and the validated merge patch) for a read or an update, the query for a
 * search. The search also tells the relay how to link the next page. An action that
 * {@linkplain io.ferry.protocol.Action#carriesPayload() carries a payload} (a sales order) keeps its request
 * as {@code payload}, passed to the agent as it is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobRequest(String customerNumber, Customer customer, ObjectNode changes, String ifMatch,
    SearchQuery search, ObjectNode payload, View view) {

  /**
   * How the relay answers a generic job, kept with the request so that the synchronous answer, the operation URL and
   * the callback agree; never sent to the agent.
   *
   * @param shape which route asked: {@code functions} or {@code odata} for a catalog's list
   * @param within the names the caller's key is restricted to (null: all the agent lists)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record View(String shape, java.util.List<String> within) {}

  private static final ObjectMapper JSON = Protocol.json();

  public static JobRequest create(Customer customer) {
    return new JobRequest(null, customer, null, null, null, null, null);
  }

  /** @param customer the customer to create or change, its {@code externalId} set */
  public static JobRequest upsert(Customer customer) {
    return new JobRequest(null, customer, null, null, null, null, null);
  }

  public static JobRequest read(String customerNumber) {
    return new JobRequest(customerNumber, null, null, null, null, null, null);
  }

  public static JobRequest search(SearchQuery query) {
    return new JobRequest(null, null, null, null, query, null, null);
  }

  /** @param ifMatch the precondition the agent checks before it changes anything; null for none */
  public static JobRequest update(String customerNumber, ObjectNode changes, String ifMatch) {
    return new JobRequest(customerNumber, null, changes, ifMatch, null, null, null);
  }

  /** The request of an action that carries a payload: the engine's validated body, or what to read. */
  public static JobRequest payload(ObjectNode payload) {
    return new JobRequest(null, null, null, null, null, payload, null);
  }

  /** A generic job's request: its payload for the agent (null: none), and how the relay answers it. */
  public static JobRequest generic(ObjectNode payload, View view) {
    return new JobRequest(null, null, null, null, null, payload, view);
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a job request always serialises", e);
    }
  }

  public static JobRequest fromJson(String json) {
    try {
      return JSON.readValue(json, JobRequest.class);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored job request is not readable: " + e.getOriginalMessage(), e);
    }
  }
}
