package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An agent trading a one-time enrollment token for its own credentials. With {@code publicKey} (see
 * {@link AgentToken#encodePublicKey}) the agent authenticates from then on with tokens signed by its
 * private key and gets no agent key; without, it gets a bearer agent key (deprecated).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnrollRequest(int protocolVersion, String token, String agentName, String hostname, String agentVersion,
    String publicKey) {

  /** Enrollment for a bearer agent key (deprecated: the key travels with every request). */
  public EnrollRequest(int protocolVersion, String token, String agentName, String hostname, String agentVersion) {
    this(protocolVersion, token, agentName, hostname, agentVersion, null);
  }
}
