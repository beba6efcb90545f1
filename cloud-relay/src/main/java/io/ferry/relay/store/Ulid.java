package io.ferry.relay.store;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * ULIDs: 48 bits of milliseconds and 80 random bits in 26 Crockford base-32 characters, so ids sort
 * by creation time (the queue's order) and cannot be guessed.
 */
public final class Ulid {

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final long MASK_40 = (1L << 40) - 1;
  private static final Monotonic SHARED = new Monotonic();

  private Ulid() {}

  public static String next() {
    return next(Clock.systemUTC().millis());
  }

  static String next(long epochMillis) {
    return SHARED.next(epochMillis);
  }

  /**
   * The ULID specification's monotonic mode: within one millisecond, or when the clock steps back,
   * the random part of the previous id is incremented instead of drawn anew, so jobs accepted in the
   * same millisecond by this relay are still claimed in the order they were accepted.
   */
  static final class Monotonic {
    private long lastMillis = -1;
    private long hi;
    private long lo;

    synchronized String next(long epochMillis) {
      if (epochMillis <= lastMillis) {
        lo = (lo + 1) & MASK_40;
        if (lo == 0) {
          hi = (hi + 1) & MASK_40;
          if (hi == 0) {
            lastMillis++;
          }
        }
        return encode(lastMillis, hi, lo);
      }
      byte[] random = new byte[10];
      RANDOM.nextBytes(random);
      hi = 0;
      lo = 0;
      for (int i = 0; i < 5; i++) {
        hi = (hi << 8) | (random[i] & 0xff);
        lo = (lo << 8) | (random[i + 5] & 0xff);
      }
      lastMillis = epochMillis;
      return encode(epochMillis, hi, lo);
    }
  }

  private static String encode(long epochMillis, long hi, long lo) {
    char[] out = new char[26];
    long time = epochMillis;
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    // 80 random bits → 16 characters, 5 bits each.
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    return new String(out);
  }

  /** Whether {@code s} has the form of a ULID; cheap, for rejecting path parameters early. */
  public static boolean looksLike(String s) {
    if (s == null || s.length() != 26) {
      return false;
    }
    for (int i = 0; i < 26; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return true;
  }
}
