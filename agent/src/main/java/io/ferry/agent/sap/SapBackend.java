package io.ferry.agent.sap;

import java.util.Optional;

/**
 * One way of reaching SAP (JCo/BAPI or OData), and the ports it offers: one per business object it can work on
 * ({@code io.ferry.agent.customer.CustomerPort} …). An implementation must be safe for concurrent calls, each call
 * being one SAP transaction; the executors call it on worker threads, through {@link SapCalls}.
 */
public interface SapBackend extends AutoCloseable {

  /** The actions an agent runs unless its policy names more: what {@link #diagnose()} checks. */
  java.util.Set<io.ferry.protocol.Action> CUSTOMER_ACTIONS = java.util.Set.copyOf(java.util.Arrays.stream(
      io.ferry.protocol.Action.values()).filter(a -> !a.carriesPayload()).toList());

  /** {@code bapi} or {@code odata}: reported to the relay and shown to operators. */
  String name();

  /**
   * This backend's port for a business object, such as {@code CustomerPort.class}; empty when the backend does
   * not offer that object. By default the backend itself, when it implements the port.
   */
  default <P> Optional<P> port(Class<P> type) {
    return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
  }

  /**
   * Checks the way to SAP step by step (reachability, logon, the functions or service Ferry needs for customers)
   * for {@code ferry agent test-sap}. Never throws: a failure is a failed check.
   */
  default SapDiagnosis diagnose() {
    return new SapDiagnosis(name(), "?", java.util.List.of(SapDiagnosis.Check.failed("diagnosis",
        "the " + name() + " backend has no self-test", "none")));
  }

  /**
   * As {@link #diagnose()}, checking what {@code actions} need (the agent's {@code policy.actions}): the sales-order
   * functions or service only when the agent runs sales orders. By default everything {@link #diagnose()} checks.
   */
  default SapDiagnosis diagnose(java.util.Set<io.ferry.protocol.Action> actions) {
    return diagnose();
  }

  @Override
  default void close() {}
}
