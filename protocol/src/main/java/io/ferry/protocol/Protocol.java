package io.ferry.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Constants of the relay–agent wire contract.
 *
 * <p>Versioning: {@link #VERSION} rises only for a change an older peer would misread. Adding an
 * optional field is not such a change, because every record ignores unknown fields; renaming or
 * removing one is. A relay answers agents of its own and the previous version.
 */
public final class Protocol {

  public static final int VERSION = 1;

  /** Agent API paths, relative to the relay's base URL. */
  public static final String ENROLL_PATH = "/agent/v1/enroll";
  /** An enrolled agent registers a new public key here (key rotation). */
  public static final String KEY_PATH = "/agent/v1/key";
  /**
   * An agent with a key pair opens a session here with a signed {@link AgentToken} and then authenticates
   * its requests with {@link AgentSessionToken}s, which cost a MAC instead of a signature.
   */
  public static final String SESSION_PATH = "/agent/v1/session";
  /**
   * {@code POST}: long-poll for jobs; {@code DELETE}: the agent stops polling (sent on a graceful stop) — the
   * relay ends its held poll and counts it offline until it polls again.
   */
  public static final String POLL_PATH = "/agent/v1/poll";
  /** {@code {id}} is the job id. */
  public static final String RESULT_PATH = "/agent/v1/jobs/{id}/result";
  public static final String LEASE_PATH = "/agent/v1/jobs/{id}/lease";

  private Protocol() {}

  /** The JSON mapper both sides use: ISO-8601 instants, unknown fields ignored. */
  public static ObjectMapper json() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .build();
  }

  public static String resultPath(String jobId) {
    return RESULT_PATH.replace("{id}", jobId);
  }

  public static String leasePath(String jobId) {
    return LEASE_PATH.replace("{id}", jobId);
  }
}
