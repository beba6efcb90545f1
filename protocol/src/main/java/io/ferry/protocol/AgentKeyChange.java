package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * {@code POST /agent/v1/key}, signed with the agent's current key (or its bearer key): from now on the
 * relay takes tokens signed with {@code publicKey}; the previous key stays valid until
 * {@code previousKeyValidUntil} (in the answer), so requests in flight and a running agent that has not
 * read the new key yet are not refused.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentKeyChange(int protocolVersion, String publicKey, Instant previousKeyValidUntil) {}
