package io.ferry.agent.relay;

/** The {@code Authorization} header of one agent request, by method and path. */
@FunctionalInterface
public interface Authorization {

  String header(String method, String path);

  /**
   * The deprecated bearer agent key of agents enrolled before key pairs: the same secret on every
   * request. {@code ferry agent rotate-key} moves such an agent to a key pair.
   */
  static Authorization bearer(String agentKey) {
    return (method, path) -> agentKey == null ? null : "Bearer " + agentKey;
  }
}
