package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Lease renewal, both ways: the agent sends its {@code attempt}; the relay answers with the new
 * {@code leaseExpiresAt}. A renewal for an attempt that is no longer current is refused with 409.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LeaseRenewal(int protocolVersion, String jobId, int attempt, Instant leaseExpiresAt) {}
