package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an agent in SQS transport sends to its results queue: a job's result, or a heartbeat that tells the
 * relays it is online (what a poll tells them over HTTPS). The tenant is not in the message: the relay takes
 * it from the agent's record and checks that the message came through that agent's own results queue.
 *
 * @param type {@link #RESULT} or {@link #HEARTBEAT}
 * @param agentId the agent that sends
 * @param agentVersion the agent's version (heartbeats)
 * @param backend the SAP backend the agent runs (heartbeats)
 * @param inFlight the jobs the agent runs now
 * @param result the job's result (results)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record QueuedMessage(int protocolVersion, String type, String agentId, String agentVersion, String backend,
    Integer inFlight, JobResult result) {

  public static final String RESULT = "result";
  public static final String HEARTBEAT = "heartbeat";

  public static QueuedMessage result(String agentId, JobResult result) {
    return new QueuedMessage(Protocol.VERSION, RESULT, agentId, null, null, null, result);
  }

  public static QueuedMessage heartbeat(String agentId, String agentVersion, String backend, int inFlight) {
    return new QueuedMessage(Protocol.VERSION, HEARTBEAT, agentId, agentVersion, backend, inFlight, null);
  }
}
