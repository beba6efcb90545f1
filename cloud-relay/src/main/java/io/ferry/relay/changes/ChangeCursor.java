package io.ferry.relay.changes;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opaque position in a tenant's change feed that {@code nextLink} carries: base64url (no padding) of the
 * last sequence number read (8 bytes) and a check (the first 8 bytes of an HMAC-SHA256 of tenant and number
 * under a key derived from relay.key, which every relay sharing a database holds). The same position always
 * gives the same cursor; an edited cursor, or one of another tenant, fails the check and reveals nothing.
 */
public final class ChangeCursor {

  /** What {@code SecretBox.derive} is asked for: a key of its own, so a cursor says nothing of any other. */
  public static final String KEY_PURPOSE = "ferry change cursors v1";
  private static final int CHECK_BYTES = 8;
  private static final int LENGTH = 22; // 16 bytes in base64url without padding

  private final byte[] key;

  public ChangeCursor(byte[] key) {
    this.key = key.clone();
  }

  /** The cursor of the position after change {@code seq} of {@code tenantId}. */
  public String encode(String tenantId, long seq) {
    ByteBuffer bytes = ByteBuffer.allocate(8 + CHECK_BYTES);
    bytes.putLong(seq);
    bytes.put(check(tenantId, seq));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }

  /** The sequence number {@code cursor} stands for, or empty when it is not one of {@link #encode}'s for the tenant. */
  public OptionalLong decode(String tenantId, String cursor) {
    if (cursor == null || cursor.length() != LENGTH) {
      return OptionalLong.empty();
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      return OptionalLong.empty();
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long seq = buffer.getLong();
    byte[] given = new byte[CHECK_BYTES];
    buffer.get(given);
    // The re-encoding comparison also refuses a second spelling of the same bytes (base64's unused low bits).
    if (seq < 0 || !java.security.MessageDigest.isEqual(given, check(tenantId, seq)) || !encode(tenantId, seq)
        .equals(cursor)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(seq);
  }

  private byte[] check(String tenantId, long seq) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Arrays.copyOf(mac.doFinal((tenantId + "|" + seq).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          CHECK_BYTES);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
