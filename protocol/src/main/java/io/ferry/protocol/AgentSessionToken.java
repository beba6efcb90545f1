package io.ferry.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-request credential of an agent inside a session ({@link AgentSession}), sent as
 * {@code Authorization: Ferry-Session <session>.<issuedAt>.<nonce>.<mac>} where {@code session} is
 * {@code <agentId>.<expiresAt>.<keyTag>} as the relay issued it.
 *
 * <p>It has the properties of the signed {@link AgentToken} — bound to one method and path, issued
 * within {@link AgentToken#MAX_SKEW} of the relay's clock, its nonce accepted once — but is an
 * HMAC-SHA256 with the session's secret over {@code ferry-session-v1\n<METHOD>\n<path>\n<session>\n
 * <issuedAt>\n<nonce>} instead of an ECDSA signature: a few microseconds instead of the better part
 * of a millisecond on each side, which is what lets one relay hold ten thousand idle agents' polls.
 * The ECDSA signature is still what opens a session.
 */
public record AgentSessionToken(String agentId, long expiresAt, String keyTag, long issuedAt, String nonce,
    String mac) {

  public static final String SCHEME = "Ferry-Session";
  private static final String MAC_ALGORITHM = "HmacSHA256";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern B64 = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern AGENT_ID = Pattern.compile("[0-9A-Z]{26}");
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();

  /** The session's name as the relay issues it: {@code <agentId>.<expiresAt>.<keyTag>}. */
  public String session() {
    return session(agentId, expiresAt, keyTag);
  }

  public static String session(String agentId, long expiresAt, String keyTag) {
    return agentId + "." + expiresAt + "." + keyTag;
  }

  /** A header for one request inside {@code session}, issued now. */
  public static String header(String session, byte[] secret, String method, String path, Instant now) {
    byte[] nonceBytes = new byte[16];
    RANDOM.nextBytes(nonceBytes);
    String nonce = ENC.encodeToString(nonceBytes);
    long issuedAt = now.getEpochSecond();
    return SCHEME + " " + session + "." + issuedAt + "." + nonce + "."
        + ENC.encodeToString(mac(secret, method, path, session, issuedAt, nonce));
  }

  /** Whether {@code authorization} is of this scheme (its form is checked by {@link #parse}). */
  public static boolean isScheme(String authorization) {
    return authorization != null && authorization.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1);
  }

  /** Splits an {@code Authorization} header value; empty when it is not of this scheme and form. */
  public static Optional<AgentSessionToken> parse(String authorization) {
    if (authorization == null || authorization.length() > 512 || !isScheme(authorization)) {
      return Optional.empty();
    }
    String[] p = authorization.substring(SCHEME.length() + 1).strip().split("\\.", -1);
    if (p.length != 6 || !AGENT_ID.matcher(p[0]).matches() || !SECONDS.matcher(p[1]).matches()
        || !B64.matcher(p[2]).matches() || !SECONDS.matcher(p[3]).matches() || !B64.matcher(p[4]).matches()
        || !B64.matcher(p[5]).matches()) {
      return Optional.empty();
    }
    return Optional.of(new AgentSessionToken(p[0], Long.parseLong(p[1]), p[2], Long.parseLong(p[3]), p[4], p[5]));
  }

  /** Whether this token's MAC was made with {@code secret} for {@code method} and {@code path}. */
  public boolean verify(byte[] secret, String method, String path) {
    byte[] presented;
    try {
      presented = Base64.getUrlDecoder().decode(mac);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(presented, mac(secret, method, path, session(), issuedAt, nonce));
  }

  /** Whether the token was issued within {@link AgentToken#MAX_SKEW} of {@code now} and its session has not ended. */
  public boolean freshAt(Instant now) {
    return Math.abs(now.getEpochSecond() - issuedAt) <= AgentToken.MAX_SKEW.toSeconds()
        && now.getEpochSecond() < expiresAt;
  }

  /** HMAC-SHA256 of {@code data} under {@code key}; the relay derives session secrets with it too. */
  public static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance(MAC_ALGORITHM);
      mac.init(new SecretKeySpec(key, MAC_ALGORITHM));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }

  private static byte[] mac(byte[] secret, String method, String path, String session, long issuedAt, String nonce) {
    return hmac(secret, "ferry-session-v1\n" + method.toUpperCase(Locale.ROOT) + "\n" + path + "\n" + session + "\n"
        + issuedAt + "\n" + nonce);
  }
}
