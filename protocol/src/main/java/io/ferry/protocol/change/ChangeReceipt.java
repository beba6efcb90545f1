package io.ferry.protocol.change;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The relay's answer to a {@link ChangeBatch}: every event of it is kept (the new ones) or was kept before (the
 * repeats); the agent may forget them all.
 *
 * @param added events new to the relay
 * @param repeated events it held already (same id)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChangeReceipt(int protocolVersion, int added, int repeated) {}
