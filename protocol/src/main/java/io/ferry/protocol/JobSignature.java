package io.ferry.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The relay's signature of a {@link JobEnvelope}, over the canonical JSON of the envelope without its
 * signature — every field, jobId, attempt, action, payload, deadline and leaseExpiresAt included — with
 * object keys sorted at every depth and no whitespace. Relay and agent build it with this one class, so
 * they agree byte for byte. Two forms:
 *
 * <ul>
 *   <li>ECDSA P-256 / SHA-256 (P1363, base64url) with the relay's job-signing key, which the agent pinned at
 *       enrollment: for a job that any agent of a group may receive (SQS) and for a poll made without a session;
 *   <li>{@code mac.<session>.<hmac>}: HMAC-SHA256 with the secret of the agent session the poll was made in
 *       ({@link AgentSessionToken}), for the job handed to that poll. The secret exists only at the relay
 *       (derived from its key) and at the agent (sealed to the agent's key), so a TLS-terminating proxy or a
 *       database writer can forge neither form; the MAC costs microseconds where ECDSA costs a large part of a
 *       millisecond on each side of every job.
 * </ul>
 */
public final class JobSignature {

  private static final String ALGORITHM = "SHA256withECDSAinP1363Format";
  private static final String MAC_ALGORITHM = "HmacSHA256";
  /** Prefix of the session form; an ECDSA signature (base64url) never contains a dot. */
  private static final String MAC_PREFIX = "mac.";
  /** Keeps a job MAC apart from a request MAC made with the same secret. */
  private static final byte[] MAC_LABEL = "ferry-job-v1\n".getBytes(StandardCharsets.US_ASCII);

  private JobSignature() {}

  public static JobEnvelope sign(PrivateKey key, JobEnvelope job) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(canonical(job));
      return job.withSignature(Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign job " + job.jobId() + " (" + e.getMessage() + ")", e);
    }
  }

  /** Whether {@code job} carries a signature by {@code key} over exactly its fields. */
  public static boolean verify(PublicKey key, JobEnvelope job) {
    if (job.signature() == null || job.signature().startsWith(MAC_PREFIX)) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(canonical(job));
      return s.verify(Base64.getUrlDecoder().decode(job.signature()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** {@code job} with the session form of the signature: an HMAC with the secret of {@code session}. */
  public static JobEnvelope mac(byte[] sessionSecret, String session, JobEnvelope job) {
    return job.withSignature(MAC_PREFIX + session + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(sessionSecret, canonical(job))));
  }

  /** The session whose secret made the signature of {@code job}, when it has the session form. */
  public static Optional<String> sessionOf(JobEnvelope job) {
    String s = job.signature();
    if (s == null || !s.startsWith(MAC_PREFIX)) {
      return Optional.empty();
    }
    int end = s.lastIndexOf('.');
    return end <= MAC_PREFIX.length() ? Optional.empty() : Optional.of(s.substring(MAC_PREFIX.length(), end));
  }

  /** Whether {@code job} carries the session form of the signature, made with {@code sessionSecret}. */
  public static boolean verifyMac(byte[] sessionSecret, JobEnvelope job) {
    String s = job.signature();
    if (sessionSecret == null || sessionOf(job).isEmpty()) {
      return false;
    }
    try {
      byte[] presented = Base64.getUrlDecoder().decode(s.substring(s.lastIndexOf('.') + 1));
      return MessageDigest.isEqual(presented, hmac(sessionSecret, canonical(job)));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * One Mac per thread: looking the algorithm up among the providers and choosing one at the first init cost about
   * as much as the MAC of a job itself. A Mac is not thread-safe; init with each job's key resets it.
   */
  private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance(MAC_ALGORITHM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
    }
  });

  private static byte[] hmac(byte[] secret, byte[] canonical) {
    try {
      Mac mac = MACS.get();
      mac.init(new SecretKeySpec(secret, MAC_ALGORITHM));
      mac.update(MAC_LABEL);
      return mac.doFinal(canonical);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
    }
  }

  /**
   * The signed bytes, written in one pass: the protocol's mapper with every object's keys sorted — the records'
   * properties, maps' keys and JSON trees' ({@code changes}) fields. Before, the envelope was turned into a tree,
   * copied sorted and written, about three times the work on each side of every job; the bytes are the same
   * ({@code JobSignatureTest} checks them against that construction), so relays and agents of either kind agree.
   */
  static byte[] canonical(JobEnvelope job) {
    try {
      return CANONICAL.writeValueAsBytes(job.withSignature(null));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write job " + job.jobId() + " as JSON: " + e.getMessage(), e);
    }
  }

  private static final ObjectMapper CANONICAL = ((JsonMapper) Protocol.json()).rebuild()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
      .build();
}
