package io.ferry.agent;

import io.ferry.agent.relay.Authorization;
import io.ferry.agent.secrets.OwnerOnlyFiles;
import io.ferry.protocol.AgentToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;

/**
 * The agent's private key: EC P-256, PKCS#8 PEM in {@code <dataDir>/agent-key.pem}, created readable
 * by the agent's user only (never widened afterwards). It never leaves the host: the relay gets the
 * public key at enrollment and a short-lived token signed with the private key on every request.
 */
public final class AgentKeyFile {

  public static final String FILE_NAME = "agent-key.pem";
  private static final String NEW_SUFFIX = ".new";

  private AgentKeyFile() {}

  public static Path file(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  /**
   * Makes a fresh key pair and writes its private key owner-only to {@code agent-key.pem.new}; the
   * current key stays in place until {@link #install} (after the relay took the public key).
   */
  public static KeyPair createPending(Path dataDir) throws IOException {
    KeyPair pair = AgentToken.newKeyPair();
    Path pending = pending(dataDir);
    Files.deleteIfExists(pending);
    OwnerOnlyFiles.write(pending, pem(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII));
    return pair;
  }

  /** Replaces the key with the pending one, atomically. */
  public static void install(Path dataDir) throws IOException {
    Files.move(pending(dataDir), file(dataDir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Drops a pending key the relay never took. */
  public static void discardPending(Path dataDir) throws IOException {
    Files.deleteIfExists(pending(dataDir));
  }

  public static PrivateKey load(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String body = text.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
        .replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + " is not an EC private key in PKCS#8 PEM; enroll the agent again", e);
    }
  }

  /**
   * Signs each request with the key in {@code dataDir}, read again whenever the file changes: a running
   * agent picks up the key {@code ferry agent rotate-key} installed, within the rotation's overlap.
   */
  public static Authorization signer(Path dataDir, String agentId, Clock clock) {
    Path file = file(dataDir);
    return new Authorization() {
      private Object loadedVersion;
      private PrivateKey key;

      @Override
      public boolean signs() {
        return true;
      }

      @Override
      public String header(String method, String path) {
        return AgentToken.sign(current(), agentId, method, path, clock.instant());
      }

      @Override
      public byte[] unseal(io.ferry.protocol.AgentSession session) {
        return session.open(current());
      }

      private synchronized PrivateKey current() {
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
          Object version = Objects.hash(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
          if (key == null || !version.equals(loadedVersion)) {
            key = load(file);
            loadedVersion = version;
          }
        } catch (IOException e) {
          if (key == null) {
            throw new UncheckedIOException("cannot read the agent's key " + file + ": " + e.getMessage(), e);
          }
        }
        return key;
      }
    };
  }

  private static Path pending(Path dataDir) {
    return dataDir.resolve(FILE_NAME + NEW_SUFFIX);
  }

  private static String pem(PrivateKey key) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }
}
