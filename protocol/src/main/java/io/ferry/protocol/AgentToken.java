package io.ferry.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The short-lived credential of an agent enrolled with a key pair, sent as
 * {@code Authorization: Ferry-Agent <agentId>.<issuedAt>.<nonce>.<signature>}.
 *
 * <p>{@code issuedAt} is epoch seconds, {@code nonce} 16 random bytes and {@code signature} an ECDSA
 * P-256 / SHA-256 signature (IEEE P1363 form, 64 bytes), both base64url without padding, over
 * {@code ferry-agent-v1\n<METHOD>\n<path>\n<agentId>\n<issuedAt>\n<nonce>}. Binding method and path
 * means a token cannot be replayed against another call; the relay refuses tokens older or newer than
 * {@link #MAX_SKEW} and nonces it has seen. There is no algorithm field to negotiate.
 */
public record AgentToken(String agentId, long issuedAt, String nonce, String signature) {

  public static final String SCHEME = "Ferry-Agent";
  /** How far a token's issue time may lie from the relay's clock, either way. */
  public static final java.time.Duration MAX_SKEW = java.time.Duration.ofMinutes(5);
  private static final String ALGORITHM = "SHA256withECDSAinP1363Format";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern B64 = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();

  /** A fresh EC P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has EC P-256", e);
    }
  }

  /** The public key as sent in {@link EnrollRequest#publicKey()}: base64 of its X.509 SubjectPublicKeyInfo. */
  public static String encodePublicKey(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /** Reads {@link #encodePublicKey}; empty unless it is an EC P-256 public key. */
  public static Optional<PublicKey> decodePublicKey(String encoded) {
    if (encoded == null || encoded.length() > 1000) {
      return Optional.empty();
    }
    try {
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(
          new X509EncodedKeySpec(Base64.getDecoder().decode(encoded.strip())));
      if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) {
        return Optional.of(key);
      }
      return Optional.empty();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A token for one request, issued now. */
  public static String sign(PrivateKey key, String agentId, String method, String path, Instant now) {
    byte[] nonceBytes = new byte[16];
    RANDOM.nextBytes(nonceBytes);
    String nonce = ENC.encodeToString(nonceBytes);
    long issuedAt = now.getEpochSecond();
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(signed(method, path, agentId, issuedAt, nonce));
      return SCHEME + " " + agentId + "." + issuedAt + "." + nonce + "." + ENC.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign with the agent's key (" + e.getMessage() + ")", e);
    }
  }

  /** Splits an {@code Authorization} header value; empty when it is not of this scheme and form. */
  public static Optional<AgentToken> parse(String authorization) {
    if (authorization == null || authorization.length() > 512
        || !authorization.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
      return Optional.empty();
    }
    String[] parts = authorization.substring(SCHEME.length() + 1).strip().split("\\.", -1);
    if (parts.length != 4 || !B64.matcher(parts[2]).matches() || !B64.matcher(parts[3]).matches()
        || !parts[1].matches("[0-9]{1,12}") || !parts[0].matches("[0-9A-Z]{26}")) {
      return Optional.empty();
    }
    return Optional.of(new AgentToken(parts[0], Long.parseLong(parts[1]), parts[2], parts[3]));
  }

  /** Whether {@code key} signed this token for {@code method} and {@code path}. Freshness is the caller's. */
  public boolean verify(PublicKey key, String method, String path) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(signed(method, path, agentId, issuedAt, nonce));
      return s.verify(Base64.getUrlDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether the token was issued within {@link #MAX_SKEW} of {@code now}. */
  public boolean freshAt(Instant now) {
    return Math.abs(now.getEpochSecond() - issuedAt) <= MAX_SKEW.toSeconds();
  }

  private static byte[] signed(String method, String path, String agentId, long issuedAt, String nonce) {
    return ("ferry-agent-v1\n" + method.toUpperCase(java.util.Locale.ROOT) + "\n" + path + "\n" + agentId + "\n"
        + issuedAt + "\n" + nonce).getBytes(StandardCharsets.UTF_8);
  }
}
