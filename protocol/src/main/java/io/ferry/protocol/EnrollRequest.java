package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** An agent trading a one-time enrollment token for its own credentials. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnrollRequest(int protocolVersion, String token, String agentName, String hostname, String agentVersion) {}
