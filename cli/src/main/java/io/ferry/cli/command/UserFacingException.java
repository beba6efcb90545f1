package io.ferry.cli.command;

/** A failure whose message is written for the operator and needs no stack trace. */
final class UserFacingException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final int exitCode;

  UserFacingException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
