package io.ferry.agent.sap;

import io.ferry.protocol.SapMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * SAP did not do what was asked. The {@link Kind} decides what the caller sees and whether a retry can
 * help; the message never contains credentials.
 */
public final class SapException extends Exception {

  private static final long serialVersionUID = 1L;

  public enum Kind {
    /** SAP refused: a RETURN message of type E or A, or an OData 4xx. Never retried. */
    BUSINESS,
    /** The customer does not exist. */
    NOT_FOUND,
    /** SAP unreachable, overloaded or timed out (JCo groups 102, 106, 135; HTTP 502/503/504). Worth a retry. */
    UNAVAILABLE,
    /** The agent's SAP settings are wrong (logon refused, function missing, no reference customer). */
    CONFIGURATION,
    /** The agent's own policy does not allow the call; nothing was sent to SAP. Never retried. */
    FORBIDDEN,
    /**
     * SAP may have done what was asked although the call failed: a create's connection broke after the
     * request was sent (JCo failure during {@code BAPI_TRANSACTION_COMMIT}, an OData timeout or 5xx after the
     * POST), or the re-read after a commit failed. Never sent again blindly: the caller looks the customer up
     * first (the port's look-ups, such as {@code CustomerPort.findByExternalId}). A backend reports
     * {@link #UNAVAILABLE} for a create only when SAP surely did not act.
     */
    OUTCOME_UNKNOWN
  }

  private final Kind kind;
  private final String code;
  private final List<SapMessage> sapMessages;
  private final Duration retryAfter;
  private final String missingSetting;
  /** The key of the ABAP exception a function module raised; null for any other failure. */
  private final String abapException;

  public SapException(Kind kind, String code, String message, List<SapMessage> sapMessages, Throwable cause) {
    this(kind, code, message, sapMessages, cause, null);
  }

  /**
   * @param retryAfter how long a caller should wait before trying again (an open circuit breaker's
   *     remaining cool-down), or null when nobody knows
   */
  public SapException(Kind kind, String code, String message, List<SapMessage> sapMessages, Throwable cause,
      Duration retryAfter) {
    super(message, cause);
    this.kind = kind;
    this.code = code;
    this.sapMessages = sapMessages == null ? List.of() : List.copyOf(sapMessages);
    this.retryAfter = retryAfter;
    this.missingSetting = null;
    this.abapException = null;
  }

  private SapException(String abapException, String message, List<SapMessage> sapMessages, Throwable cause) {
    super(message, cause);
    this.kind = Kind.BUSINESS;
    this.code = SapErrorCodes.BUSINESS;
    this.sapMessages = sapMessages == null ? List.of() : List.copyOf(sapMessages);
    this.retryAfter = null;
    this.missingSetting = null;
    this.abapException = abapException;
  }

  private SapException(String setting, String message) {
    super(message);
    this.kind = Kind.CONFIGURATION;
    this.code = SapErrorCodes.SETTING_MISSING;
    this.sapMessages = List.of();
    this.retryAfter = null;
    this.missingSetting = setting;
    this.abapException = null;
  }

  /**
   * The agent's configuration lacks {@code setting}, which this request needs (and another request may
   * not): CONFIGURATION with {@link SapErrorCodes#SETTING_MISSING}, answered to the engine as a problem
   * that is not worth a retry, and counted for the operator ({@code ferry agent status}).
   */
  public static SapException missingSetting(String setting, String message) {
    return new SapException(setting, message);
  }

  public SapException(Kind kind, String code, String message, List<SapMessage> sapMessages) {
    this(kind, code, message, sapMessages, null);
  }

  /**
   * A function module raised the classic ABAP exception {@code key} ({@code RAISE TABLE_NOT_AVAILABLE}): BUSINESS,
   * with the key for the job's {@code JobError.abapException}.
   */
  public static SapException abapException(String key, String message, List<SapMessage> sapMessages,
      Throwable cause) {
    return new SapException(key, message, sapMessages, cause);
  }

  /** The key of the ABAP exception the function module raised, when that is what failed. */
  public Optional<String> abapException() {
    return Optional.ofNullable(abapException);
  }

  public Kind kind() {
    return kind;
  }

  /** A stable Ferry error code, for example {@code FERRY-SAP-0001}. */
  public String code() {
    return code;
  }

  public List<SapMessage> sapMessages() {
    return sapMessages;
  }

  /** The configuration key this request needed and the agent lacks, for {@link #missingSetting}. */
  public Optional<String> missingSetting() {
    return Optional.ofNullable(missingSetting);
  }

  /** How long to wait before trying again, when known. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
