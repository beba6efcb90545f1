package io.ferry.cli.command;

import java.nio.file.Path;

/** Default locations, under the user's home so that a service's working directory does not matter. */
final class Defaults {

  private Defaults() {}

  static Path home() {
    return Path.of(System.getProperty("user.home"), ".ferry");
  }

  static Path relayDataDir() {
    return home().resolve("relay");
  }

  static Path agentDataDir() {
    return home().resolve("agent");
  }

  static Path demoDataDir() {
    return home().resolve("demo");
  }
}
