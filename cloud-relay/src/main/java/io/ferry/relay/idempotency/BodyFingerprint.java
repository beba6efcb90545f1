package io.ferry.relay.idempotency;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@link Fingerprint} of a request whose body is too large to hold (a customer batch): SHA-256 of the
 * method, the path, the request's other inputs (parameters, content type) and the body's bytes exactly as
 * sent, taken while the body streams past. A retry sends the same bytes, so it has the same fingerprint.
 */
public final class BodyFingerprint {

  private final MessageDigest digest;
  private String hex;

  private BodyFingerprint(MessageDigest digest) {
    this.digest = digest;
  }

  /** @param extras further inputs that change what the request does, in a fixed order; nulls allowed */
  public static BodyFingerprint start(String method, String path, String... extras) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    StringBuilder head = new StringBuilder().append(method).append(' ').append(path).append('\n');
    for (String extra : extras) {
      head.append(extra == null ? "" : extra.replace("\n", "\\n")).append('\n');
    }
    digest.update(head.toString().getBytes(StandardCharsets.UTF_8));
    return new BodyFingerprint(digest);
  }

  /** {@code body}, with every byte read from it added to the fingerprint. */
  public InputStream tee(InputStream body) {
    return new DigestInputStream(body, digest);
  }

  /** The fingerprint of the whole body, hex: read it to its end first. The same value on every call. */
  public String finish() {
    if (hex == null) {
      hex = HexFormat.of().formatHex(digest.digest());
    }
    return hex;
  }
}
