package io.ferry.cli.service;

/** What {@code ferry agent service} does with the platform's service manager. */
public enum ServiceAction {
  INSTALL, UNINSTALL, START, STOP, STATUS;

  /** Whether the action changes the host, and so needs root or an administrator. */
  public boolean changesHost() {
    return this != STATUS;
  }
}
