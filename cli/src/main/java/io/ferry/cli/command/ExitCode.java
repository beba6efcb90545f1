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
  /**
   * Not allowed: the agent is not enrolled, the relay refused its identity, token or admin key, or the
   * command needs root (Linux) or an elevated prompt (Windows).
   */
  public static final int NOT_AUTHORIZED = 4;
  /** Not possible on this host: no systemd, or an operating system without Ferry's service integration. */
  public static final int UNSUPPORTED = 5;
  /** {@code ferry admin}: the relay has no such job, key, agent or batch in the admin key's tenant. */
  public static final int NOT_FOUND = 6;
  /** {@code ferry admin}: the thing is in a state that does not allow the action (a retry of a running job). */
  public static final int CONFLICT = 7;

  private ExitCode() {}
}
