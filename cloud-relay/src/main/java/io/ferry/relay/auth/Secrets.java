package io.ferry.relay.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random secrets and their hashes. Only hashes reach the store; comparisons take constant time. */
final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();
  /** 256 bits: not guessable, and no key stretching is needed for a random secret. */
  private static final int SECRET_BYTES = 32;

  private Secrets() {}

  static String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String sha256Hex(String value) {
    return HexFormat.of().formatHex(sha256(value));
  }

  /** Whether {@code presented} hashes to {@code storedHex}, compared in constant time. */
  static boolean matches(String presented, String storedHex) {
    byte[] stored;
    try {
      stored = HexFormat.of().parseHex(storedHex);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(sha256(presented), stored);
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
