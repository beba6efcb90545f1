package io.ferry.relay.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** PEM private keys (unencrypted PKCS#8), read with the JDK. */
final class PrivateKeys {

  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";
  private static final SecureRandom RANDOM = new SecureRandom();

  private PrivateKeys() {}

  static PrivateKey read(Path file, String setting) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(setting + " names no readable file: '" + file + "'");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + " " + file + " cannot be read: " + e.getMessage(), e);
    }
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      String found = text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
          ? "a traditional (PKCS#1 / SEC1) key" : text.contains("BEGIN ENCRYPTED PRIVATE KEY") ? "an encrypted key" : "no key";
      throw new IllegalArgumentException(setting + " " + file + " holds " + found + "; it must be an unencrypted PKCS#8 "
          + "key (-----BEGIN PRIVATE KEY-----). Convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8.pem");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + " " + file + " is not valid PEM (bad base64)", e);
    }
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(setting + " " + file + " holds a PKCS#8 key of an algorithm the relay cannot use "
        + "(RSA, EC, Ed25519 and Ed448 are supported)");
  }

  /** Signs with the key and verifies with the certificate: they belong together, or the start stops. */
  static void checkPair(PrivateKey key, X509Certificate certificate, String keySetting, String certificateSetting) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "RSASSA-PSS" -> null;
      default -> key.getAlgorithm(); // Ed25519, Ed448
    };
    if (algorithm == null) {
      return;
    }
    byte[] challenge = random(32);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // a key of another type than the certificate's: reported below
    }
    throw new IllegalArgumentException(keySetting + " is not the private key of the first certificate in "
        + certificateSetting + " (" + certificate.getSubjectX500Principal() + ")");
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
