package io.ferry.cli.command;

import io.ferry.relay.Relay;
import io.ferry.relay.config.RelayConfig;
import java.net.BindException;

/** Turns "address already in use" into a sentence with the fix. */
final class Ports {

  private Ports() {}

  static Relay startRelay(RelayConfig cfg) {
    return startRelay(cfg, "--port");
  }

  /** {@code option}: how the user chooses the port, {@code --port} or {@code --port (relay.port)}. */
  static Relay startRelay(RelayConfig cfg, String option) {
    try {
      return Relay.start(cfg);
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException || String.valueOf(t.getMessage()).contains("already in use")) {
          throw new UserFacingException(ExitCode.FAILED, "port " + cfg.port() + " on " + cfg.host()
              + " is already in use \u2014 choose another with " + option + ", or stop what listens there");
        }
      }
      throw e;
    }
  }
}
