package io.ferry.agent.relay;

import java.time.Duration;

/** A call to the relay did not succeed; {@link #kind()} says what the caller should do. */
public final class RelayException extends Exception {

  private static final long serialVersionUID = 1L;

  public enum Kind {
    /** Connection refused, reset or timed out: back off and try again. */
    NETWORK,
    /** The relay is overloaded or restarting (429, 502, 503, 504): back off longer. */
    BUSY,
    /** The relay does not accept this agent's identity (401/403): nothing works until an operator acts. */
    UNAUTHORIZED,
    /** The relay refused this one request for good (404, 409, 410, 422): do not repeat it. */
    REJECTED,
    /** The relay failed (500) or answered something unreadable. */
    PROTOCOL,
    /** The agent itself cancelled the call, for example when stopping. */
    CANCELLED
  }

  private final Kind kind;
  private final transient Duration retryAfter;

  RelayException(Kind kind, String message, Throwable cause) {
    this(kind, message, null, cause);
  }

  /** A failure of another way to the relay (the SQS transport), classified for the caller's back-off. */
  public static RelayException of(Kind kind, String message, Throwable cause) {
    return new RelayException(kind, message, cause);
  }

  private RelayException(Kind kind, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  static RelayException fromStatus(int status, String message, Duration retryAfter) {
    Kind kind = switch (status) {
      case 401, 403 -> Kind.UNAUTHORIZED;
      case 404, 409, 410, 422 -> Kind.REJECTED;
      case 408, 429, 502, 503, 504 -> Kind.BUSY;
      default -> status >= 500 ? Kind.BUSY : Kind.PROTOCOL;
    };
    return new RelayException(kind, message, retryAfter, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The relay's {@code Retry-After}, when it sent one. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
