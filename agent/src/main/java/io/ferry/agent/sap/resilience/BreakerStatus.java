package io.ferry.agent.sap.resilience;

import java.time.Instant;

/**
 * What {@code ferry agent status} shows of one backend's circuit breaker.
 *
 * @param backend the backend's name ({@code bapi}, {@code odata})
 * @param state the breaker's state
 * @param consecutiveFailures transient failures in a row since the last call SAP answered
 * @param openUntil while open: when the next call is let through to try; else null
 */
public record BreakerStatus(String backend, BreakerState state, int consecutiveFailures, Instant openUntil) {}
