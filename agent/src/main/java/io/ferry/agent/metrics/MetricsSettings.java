package io.ferry.agent.metrics;

import java.util.List;

/**
 * The agent's own metrics endpoint (agent.metrics.*). Off by default: the agent opens no port unless
 * told to, and then on the loopback interface unless agent.metrics.host names another.
 *
 * @param enabled whether the agent listens at all (agent.metrics.port set)
 * @param host the address to listen on (agent.metrics.host, default 127.0.0.1)
 * @param port the TCP port (agent.metrics.port); 0 picks a free one (tests)
 */
public record MetricsSettings(boolean enabled, String host, int port) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final MetricsSettings OFF = new MetricsSettings(false, DEFAULT_HOST, 0);

  public MetricsSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("agent.metrics.host must not be empty; the default is " + DEFAULT_HOST
          + " (this machine only)");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("agent.metrics.port must be between 1 and 65535, was " + port);
    }
  }

  /** Listening on {@code port} of the loopback interface. */
  public static MetricsSettings loopback(int port) {
    return new MetricsSettings(true, DEFAULT_HOST, port);
  }

  /** The settings as {@code ferry agent config show} lists them. */
  public List<String> describe() {
    return enabled ? List.of("agent.metrics.host=" + host, "agent.metrics.port=" + port)
        : List.of("agent.metrics.port=(off)");
  }
}
