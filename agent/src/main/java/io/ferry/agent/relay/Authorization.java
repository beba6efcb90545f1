package io.ferry.agent.relay;

/** The {@code Authorization} header of one agent request, by method and path. */
@FunctionalInterface
public interface Authorization {

  String header(String method, String path);

  /**
   * Whether these headers are signatures with the agent's key, which can open a session so that later
   * requests carry a cheaper MAC instead ({@link SessionAuthorization}).
   */
  default boolean signs() {
    return false;
  }

  /** The secret of a session the relay sealed to the agent's key; only for headers that {@link #signs()}. */
  default byte[] unseal(io.ferry.protocol.AgentSession session) {
    throw new UnsupportedOperationException("bearer agent keys open no sessions");
  }

  /**
   * The deprecated bearer agent key of agents enrolled before key pairs: the same secret on every
   * request. {@code ferry agent rotate-key} moves such an agent to a key pair.
   */
  static Authorization bearer(String agentKey) {
    return (method, path) -> agentKey == null ? null : "Bearer " + agentKey;
  }
}
