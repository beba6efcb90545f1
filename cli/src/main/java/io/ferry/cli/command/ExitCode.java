package io.ferry.cli.command;

/** The exit codes of {@code ferry}, stable for scripts and service managers. */
public final class ExitCode {
  public static final int OK = 0;
  /** Something failed while running (relay unreachable, SAP down, I/O). */
  public static final int FAILED = 1;
  /** The command line was wrong; usage was printed. */
  public static final int USAGE = 2;
  /** A setting is invalid or missing; the message names it. */
  public static final int CONFIG = 3;
  /** The agent is not enrolled, or the relay refused its identity or token. */
  public static final int NOT_AUTHORIZED = 4;

  private ExitCode() {}
}
