package io.ferry.agent.sap.resilience;

/** The state of the circuit breaker to one SAP backend. */
public enum BreakerState {
  /** Calls go to SAP. */
  CLOSED,
  /** SAP failed too often in a row: calls fail at once until the cool-down is over. */
  OPEN,
  /** The cool-down is over: one call goes to SAP to try; its outcome closes or opens the breaker again. */
  HALF_OPEN
}
