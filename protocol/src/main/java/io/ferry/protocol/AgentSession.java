package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The relay's answer to {@code POST /agent/v1/session}: a session the agent names in each request's
 * {@link AgentSessionToken}, the secret it makes their MACs with, and how long the session lasts
 * (counted on the agent's own clock from receipt, so clock skew does not matter).
 *
 * <p>The secret is sealed to the agent's public key (ECIES: an ephemeral P-256 key, ECDH, AES-256-GCM
 * with the session's name as associated data), so that only the holder of the agent's private key can
 * use it: a TLS-terminating proxy that reads the answer learns nothing it could authenticate with, as it
 * learns nothing from a signed token.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentSession(String session, String sealedSecret, int expiresInSeconds) {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  /** Seals {@code secret} to {@code agentKey} for the session named {@code session}. */
  public static String seal(byte[] secret, PublicKey agentKey, String session) {
    try {
      KeyPair ephemeral = AgentToken.newKeyPair();
      byte[] ephemeralKey = ephemeral.getPublic().getEncoded();
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, wrappingKey(ephemeral.getPrivate(), agentKey, session),
          new GCMParameterSpec(TAG_BITS, nonce));
      aes.updateAAD(session.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = aes.doFinal(secret);
      ByteBuffer out = ByteBuffer.allocate(2 + ephemeralKey.length + nonce.length + sealed.length);
      out.putShort((short) ephemeralKey.length).put(ephemeralKey).put(nonce).put(sealed);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not seal the session's secret (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The session's secret, opened with the agent's private key.
   *
   * @throws IllegalArgumentException when it is malformed or was not sealed to this key for this session
   */
  public byte[] open(PrivateKey agentKey) {
    try {
      ByteBuffer in = ByteBuffer.wrap(Base64.getUrlDecoder().decode(sealedSecret));
      int keyLength = in.getShort();
      if (keyLength <= 0 || keyLength > 200 || in.remaining() < keyLength + NONCE_BYTES + TAG_BITS / 8) {
        throw new IllegalArgumentException("the sealed secret is malformed");
      }
      byte[] ephemeralKey = new byte[keyLength];
      in.get(ephemeralKey);
      byte[] nonce = new byte[NONCE_BYTES];
      in.get(nonce);
      byte[] sealed = Arrays.copyOfRange(in.array(), in.position(), in.limit());
      PublicKey ephemeral = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(ephemeralKey));
      Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
      aes.init(Cipher.DECRYPT_MODE, wrappingKey(agentKey, ephemeral, session), new GCMParameterSpec(TAG_BITS, nonce));
      aes.updateAAD(session.getBytes(StandardCharsets.UTF_8));
      return aes.doFinal(sealed);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("the session's secret cannot be opened with this agent's key ("
          + e.getMessage() + ")", e);
    }
  }

  private static SecretKeySpec wrappingKey(PrivateKey mine, PublicKey theirs, String session)
      throws GeneralSecurityException {
    KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
    ecdh.init(mine);
    ecdh.doPhase(theirs, true);
    return new SecretKeySpec(AgentSessionToken.hmac(ecdh.generateSecret(), "ferry-session-seal-v1\n" + session), "AES");
  }

  /** Nothing secret in it, but the sealed secret is long and of no use to a reader. */
  @Override
  public String toString() {
    return "AgentSession[session=" + session + ", expiresInSeconds=" + expiresInSeconds + "]";
  }
}
