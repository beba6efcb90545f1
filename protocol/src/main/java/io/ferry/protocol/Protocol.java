package io.ferry.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
  /**
   * {@code POST} a {@link ResultBatch}: several results in one request, each answered as {@link #RESULT_PATH}
   * would answer it ({@link ResultReceipts}). A relay from before it answers 404; the agent then posts one by one.
   */
  public static final String RESULTS_PATH = "/agent/v1/results";
  public static final String LEASE_PATH = "/agent/v1/jobs/{id}/lease";
  /**
   * {@code GET} with a WebSocket upgrade, in an agent session: one connection the agent keeps open and sends
   * its polls and result batches over ({@link StreamRequest}), each answered on it ({@link StreamAnswer}) as the
   * HTTP routes answer them — without a request, its headers and its authentication per job. Outbound, like
   * every agent connection; the long-poll routes stay for proxies that break WebSockets.
   */
  public static final String STREAM_PATH = "/agent/v1/stream";
  /**
   * {@code POST} a {@link io.ferry.protocol.change.ChangeBatch}: changes the agent found in SAP by watching it
   * (customers created or changed there, by Ferry or anyone else). The relay keeps each event once per tenant, by its
   * id, and answers {@link io.ferry.protocol.change.ChangeReceipt}; the agent sends again what was not taken.
   */
  public static final String CHANGES_PATH = "/agent/v1/changes";

  private Protocol() {}

  /**
   * The JSON mapper both sides use: ISO-8601 instants, unknown fields ignored, and strict where JSON is
   * ambiguous: a member named twice and content after the value are errors (see {@link #jsonError}), since
   * a reader that takes the first and one that takes the last would each see another request. Numbers with a
   * fraction are read as {@link java.math.BigDecimal}, exactly as written ({@code 273.30} stays {@code 273.30}):
   * quantities and amounts are never rounded through a {@code double}, nor written back as {@code 2.7330E2}, and
   * relay and agent sign the same bytes for them.
   */
  public static ObjectMapper json() {
    return JsonMapper.builder()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /**
   * What is wrong with a JSON text, in words for a problem's detail: {@code duplicate member 'name'},
   * {@code trailing content after the JSON value}, else the parser's own message.
   */
  public static String jsonError(JsonProcessingException e) {
    String message = String.valueOf(e.getOriginalMessage());
    Matcher duplicate = DUPLICATE.matcher(message);
    if (duplicate.lookingAt()) {
      return "duplicate member '" + duplicate.group(1) + "'";
    }
    if (message.startsWith("Trailing token")) {
      return TRAILING_CONTENT;
    }
    return message;
  }

  /** The words of {@link #jsonError} for content after the value, for readers that check it themselves. */
  public static final String TRAILING_CONTENT = "trailing content after the JSON value";
  /** Jackson's message of {@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}. */
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '(.*)'$",
      Pattern.DOTALL);

  public static String resultPath(String jobId) {
    return RESULT_PATH.replace("{id}", jobId);
  }

  public static String leasePath(String jobId) {
    return LEASE_PATH.replace("{id}", jobId);
  }
}
