package io.ferry.agent.secrets;

/** The secrets file or its key cannot be used; the message names the file and the fix, never a value. */
public final class SecretsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SecretsException(String message) {
    super(message);
  }
}
