package io.ferry.bench;

import io.ferry.agent.AgentConfig;
import io.ferry.relay.config.RelayConfig;
import java.nio.file.Path;

/**
 * What a relayed mode puts behind relay and agent besides the simulated SAP — a database, a queue —
 * and the configuration that points them at it. Opened before the relays start, closed after they stop.
 */
interface Backing extends AutoCloseable {

  /** Nothing outside the relay: its embedded SQLite store. */
  Backing EMBEDDED = new Backing() {
    @Override
    public RelayConfig relay(RelayConfig config) {
      return config;
    }

    @Override
    public void close() {}
  };

  /** Changes the relay's configuration (every relay of the mode gets the same). */
  RelayConfig relay(RelayConfig config);

  /** Changes the agent's configuration; most backings leave it alone. */
  default AgentConfig agent(AgentConfig config) {
    return config;
  }

  @Override
  void close() throws Exception;

  /** Opens the backing of one mode's run in the mode's directory. */
  @FunctionalInterface
  interface Factory {
    /** Throws {@link Unreachable} when what it needs is not there; the mode's rows then say so. */
    Backing open(Path dir, Settings settings) throws Exception;

    /** Factory of a backing that needs nothing started. */
    static Factory of(Backing backing) {
      return (dir, settings) -> backing;
    }
  }

  /** What a mode needs is not reachable; the message says how to fix it. The run goes on without the mode. */
  final class Unreachable extends Exception {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
