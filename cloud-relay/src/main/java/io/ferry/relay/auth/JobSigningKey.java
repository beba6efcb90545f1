package io.ferry.relay.auth;

import io.ferry.protocol.AgentToken;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobSignature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's job-signing key pair (EC P-256), made at the first start in
 * {@code <dataDir>/job-signing-key.pem} (the PKCS#8 private key and the public key, owner-only). Agents
 * pin the public key at enrollment and refuse jobs it did not sign; replacing the file makes every
 * enrolled agent refuse this relay's jobs until re-enrolled, so back it up with relay.db.
 */
public final class JobSigningKey {

  public static final String FILE_NAME = "job-signing-key.pem";
  private static final Logger LOG = LoggerFactory.getLogger(JobSigningKey.class);
  private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

  private final PrivateKey privateKey;
  private final String publicKey;

  private JobSigningKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = AgentToken.encodePublicKey(publicKey);
  }

  public static JobSigningKey open(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      String text = Files.readString(file, StandardCharsets.US_ASCII);
      byte[] priv = null;
      byte[] pub = null;
      Matcher m = BLOCK.matcher(text);
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
        if (m.group(1).equals("PRIVATE KEY")) {
          priv = der;
        } else if (m.group(1).equals("PUBLIC KEY")) {
          pub = der;
        }
      }
      if (priv == null || pub == null) {
        throw new IllegalStateException(file + " does not hold a PRIVATE KEY and a PUBLIC KEY block; restore it from a "
            + "backup (or remove it and enroll every agent again)");
      }
      KeyFactory ec = KeyFactory.getInstance("EC");
      return new JobSigningKey(ec.generatePrivate(new PKCS8EncodedKeySpec(priv)),
          ec.generatePublic(new X509EncodedKeySpec(pub)));
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("could not read or create the relay's job-signing key " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** The public key as agents pin it (base64 X.509 SubjectPublicKeyInfo). */
  public String publicKey() {
    return publicKey;
  }

  public JobEnvelope sign(JobEnvelope job) {
    return JobSignature.sign(privateKey, job);
  }

  /** Written to a private temporary file, then linked into place: of two racing creators the first wins. */
  private static void create(Path file) throws IOException {
    KeyPair pair = AgentToken.newKeyPair();
    String pem = "-----BEGIN PRIVATE KEY-----\n" + mime(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n"
        + "-----BEGIN PUBLIC KEY-----\n" + mime(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".job-signing-key", ".tmp");
    try {
      if (Files.getFileAttributeView(tmp, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
      try {
        Files.createLink(file, tmp);
        LOG.info("created the relay's job-signing key {} (owner-only); back it up with relay.db", file);
      } catch (FileAlreadyExistsException raced) {
        // another process made it first; use theirs
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String mime(byte[] der) {
    return Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
  }
}
