package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An agent's long-poll. The relay holds it until a job is queued for the agent's tenant and group or
 * the hold time passes, and answers with at most {@code maxJobs} jobs.
 *
 * @param maxJobs the agent's free worker capacity, at least 1
 * @param inFlight jobs the agent is running right now (for the relay's view of the agent)
 * @param agentVersion the agent's Ferry version
 * @param backend {@code bapi} or {@code odata}
 * @param holdSeconds how long the agent wants the poll held at most when there is no job; absent means
 *     the relay's own hold. The agent asks for 0 on its first poll after a start or an error, so it
 *     learns at once that it is connected.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PollRequest(int protocolVersion, int maxJobs, int inFlight, String agentVersion, String backend,
    Integer holdSeconds) {}
