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
 * @param runId identifies this run of the agent process (new at every start). When the agent stops it
 *     names the run in {@code DELETE /agent/v1/poll?run=…}, and the relay answers any poll of that run
 *     still on its way at once and empty, instead of leasing it a job nobody will receive.
 * @param actions the actions this agent's version can read (wire names), whatever its policy runs: the relay hands
 *     it no job of another. Absent (an agent older than sales orders): the customer actions. Added in protocol
 *     version 1 as an optional field.
 * @param catalog the fingerprint of what this agent allows to be called generically ({@link Catalog#fingerprint()}):
 *     when it changes, the relay forgets the catalog and schemas it cached for the agent's group. Absent: the agent
 *     allows nothing generically, or predates it. Added in protocol version 1 as an optional field.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PollRequest(int protocolVersion, int maxJobs, int inFlight, String agentVersion, String backend,
    Integer holdSeconds,
    String runId,
    java.util.List<String> actions,
    String catalog) {

  /** A poll that names no actions: what an agent older than sales orders sends. */
  public PollRequest(int protocolVersion, int maxJobs, int inFlight, String agentVersion, String backend,
      Integer holdSeconds, String runId) {
    this(protocolVersion, maxJobs, inFlight, agentVersion, backend, holdSeconds, runId, null, null);
  }

  /** A poll that names the actions its agent reads, without a catalog fingerprint. */
  public PollRequest(int protocolVersion, int maxJobs, int inFlight, String agentVersion, String backend,
      Integer holdSeconds, String runId, java.util.List<String> actions) {
    this(protocolVersion, maxJobs, inFlight, agentVersion, backend, holdSeconds, runId, actions, null);
  }

  /** Every action this version of Ferry knows, as a poll names them; made once, as every poll sends it. */
  public static final java.util.List<String> KNOWN_ACTIONS =
      java.util.Arrays.stream(Action.values()).map(Action::wireName).toList();

  /** {@link #KNOWN_ACTIONS}. */
  public static java.util.List<String> knownActions() {
    return KNOWN_ACTIONS;
  }

  /** This poll held {@code seconds} at most, everything else as it is. */
  public PollRequest heldFor(int seconds) {
    return new PollRequest(protocolVersion, maxJobs, inFlight, agentVersion, backend, seconds, runId, actions, catalog);
  }
}
