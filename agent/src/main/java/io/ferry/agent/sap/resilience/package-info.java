/**
 * Retries, back-off and a circuit breaker around the agent's SAP backend ({@link
 * io.ferry.agent.sap.resilience.Resilience}, a layer of every SAP call).
 *
 * <p><b>Why not Resilience4j or Failsafe.</b> Both were weighed (Resilience4j 2.4: its retry and
 * circuitbreaker modules). What a library would replace is small: the breaker's state machine
 * ({@code CircuitBreaker}, about 60 lines) and the retry loop; the back-off itself is the poller's
 * {@link io.ferry.agent.poll.Backoff}, shared with the poll loop. What it cannot replace is most of this
 * package, and it would sit inside hooks of the library instead of in plain code:
 * <ul>
 *   <li>which failures may be retried per operation: a create after OUTCOME_UNKNOWN is looked up before it is
 *       sent again, and reconciled when the tries end in doubt — no library decides that;</li>
 *   <li>no retry beyond the running job's deadline ({@link io.ferry.agent.sap.CallDeadline}), which a
 *       library's fixed attempt count and wait do not know;</li>
 *   <li>what the breaker counts: a business error is SAP answering (it closes the breaker), a fault in the
 *       agent counts for nothing; the refusal carries the remaining cool-down, which reaches engines as the
 *       {@code Retry-After} of their 503; the transitions log coded lines (FERRY-AGENT-0131 to 0133);</li>
 *   <li>time from the injected {@link java.time.Clock} and {@code Pause}, so the tests move time instead of
 *       sleeping.</li>
 * </ul>
 * Resilience4j's breaker counts a failure rate over a sliding window; "N transient failures in a row"
 * ({@code agent.sap-breaker.failure-threshold}) is its count-based window of N at 100 %, so it could be expressed, at the
 * price of three more jars on the class path of an agent whose start time is mostly class loading
 * (docs/operations.md). Switch when a second caller needs the same guards (the relay's callbacks, say),
 * not for this one.
 */
package io.ferry.agent.sap.resilience;
