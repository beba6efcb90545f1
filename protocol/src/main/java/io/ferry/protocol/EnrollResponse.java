package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The agent's identity. {@code agentKey} is shown this once (the relay keeps only its hash), and only
 * to an agent that enrolled without a public key. {@code relayPublicKey} is the key the relay signs jobs
 * with ({@link JobSignature}); the agent pins it at enrollment.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnrollResponse(int protocolVersion, String agentId, String tenantId, String agentGroup, String agentKey,
    String relayPublicKey) {

  /** Without the relay's job-signing key (relays before signed jobs). */
  public EnrollResponse(int protocolVersion, String agentId, String tenantId, String agentGroup, String agentKey) {
    this(protocolVersion, agentId, tenantId, agentGroup, agentKey, null);
  }

  /** Never print the key, even by accident in a log line. */
  @Override
  public String toString() {
    return "EnrollResponse[agentId=" + agentId + ", tenantId=" + tenantId + ", agentGroup=" + agentGroup + "]";
  }
}
