package io.ferry.relay.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts the few secrets the relay must be able to use again, not just check: the webhook signing
 * secrets of API keys. AES-256-GCM with a random 96-bit nonce per value; the row's id is the associated
 * data, so a ciphertext copied to another row does not decrypt. The key lives beside the database in
 * {@code <data-dir>/relay.key}, readable by the relay's user only: a copy of {@code relay.db} alone
 * (a backup, a support bundle) reveals no secret.
 */
public final class SecretBox {

  public static final String KEY_FILE = "relay.key";
  private static final Logger LOG = LoggerFactory.getLogger(SecretBox.class);
  private static final String VERSION = "v1:";
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** The relay's key from {@code dataDir}, created (owner-only) on first use. */
  public static SecretBox open(Path dataDir) {
    Path file = dataDir.resolve(KEY_FILE);
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
      if (key.length != KEY_BYTES) {
        throw new IllegalStateException(file + " does not hold a 256-bit key; restore it from a backup "
            + "(without it the webhook secrets of existing API keys cannot be used)");
      }
      return new SecretBox(key);
    } catch (IOException e) {
      throw new IllegalStateException("could not read or create the relay's key " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a new key to a private temporary file, then links it into place: the link fails if another
   * process (a bootstrap beside a starting relay) made the key first, and that one wins.
   */
  private static void create(Path file) throws IOException {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    Path tmp = Files.createTempFile(file.getParent(), ".relay-key", ".tmp");
    try {
      restrictToOwner(tmp);
      Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
      try {
        Files.createLink(file, tmp);
        LOG.info("created the relay's key {} (owner-only); back it up with relay.db", file);
      } catch (FileAlreadyExistsException raced) {
        // Another process created it first: use that one.
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void restrictToOwner(Path file) throws IOException {
    try {
      Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
      Files.setPosixFilePermissions(file, ownerOnly);
    } catch (UnsupportedOperationException e) {
      // Windows: the data directory's ACL applies; the service installer restricts it to the service account.
      file.toFile().setReadable(false, false);
      file.toFile().setReadable(true, true);
      file.toFile().setWritable(false, false);
      file.toFile().setWritable(true, true);
    }
  }

  /**
   * A key for {@code purpose} derived from the relay's key (HMAC-SHA256 of the purpose): relays that
   * share relay.key derive the same one, and it says nothing about relay.key itself.
   */
  public byte[] derive(String purpose) {
    return io.ferry.protocol.AgentSessionToken.hmac(key.getEncoded(), purpose);
  }

  /** {@code v1:<base64 nonce+ciphertext>}, bound to {@code rowId}. */
  public String seal(String secret, String rowId) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(rowId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return VERSION + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
    }
  }

  /** The secret {@link #seal} sealed for {@code rowId}; fails when the value was made with another key or row. */
  public String open(String sealed, String rowId) {
    if (sealed == null || !sealed.startsWith(VERSION)) {
      throw new IllegalArgumentException("not a sealed secret");
    }
    try {
      byte[] in = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(rowId.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("a stored secret does not open with " + KEY_FILE
          + " (was the key file replaced?)", e);
    }
  }
}
