package io.ferry.agent.handler;

import io.ferry.protocol.JobError;

/**
 * The job cannot be run as it is — the relay let through something the agent cannot use, or the object no longer
 * matches the engine's precondition: an answer for the engine, not a fault of SAP or the agent.
 */
public final class JobRefused extends Exception {

  private static final long serialVersionUID = 1L;
  /** The job is not valid for this agent. */
  public static final String INVALID_CODE = "FERRY-AGENT-0121";
  /** The object changed since the engine read it ({@code If-Match}). */
  public static final String PRECONDITION_CODE = "FERRY-AGENT-0120";

  private final JobError.Kind kind;
  private final String code;

  private JobRefused(JobError.Kind kind, String code, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.code = code;
  }

  public static JobRefused invalid(String message) {
    return new JobRefused(JobError.Kind.INVALID_REQUEST, INVALID_CODE, message);
  }

  public static JobRefused preconditionFailed(String message) {
    return new JobRefused(JobError.Kind.PRECONDITION_FAILED, PRECONDITION_CODE, message);
  }

  /** The job's failure as the engine hears it. */
  public JobError error() {
    return new JobError(kind, code, getMessage(), java.util.List.of());
  }
}
