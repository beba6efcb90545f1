package io.ferry.cli.command;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Log levels per command: services log INFO; one-shot commands print their result and only warnings. */
final class Logging {

  private Logging() {}

  /** Warnings and errors only, unless the operator asked for a level with FERRY_LOG_LEVEL. */
  static void quiet() {
    if (System.getenv("FERRY_LOG_LEVEL") == null) {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    }
  }
}
