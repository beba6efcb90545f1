package io.ferry.relay.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * The relay's TLS certificate ({@code relay.tls.*}), validated when built: the files are read and the key
 * is checked against the certificate, so a wrong file stops the start with a message naming the setting.
 *
 * <p>Either PEM — {@code relay.tls.certificate} (the chain, server certificate first) and
 * {@code relay.tls.key} (its unencrypted PKCS#8 private key, {@code -----BEGIN PRIVATE KEY-----}) — or a
 * PKCS#12 key store, {@code relay.tls.keystore} with {@code relay.tls.keystore-password} (preferably from
 * the environment variable {@code FERRY_RELAY_TLS_KEYSTORE_PASSWORD}). Neither: plain HTTP, for loopback
 * or behind a TLS-terminating load balancer.
 *
 * @param certificate PEM certificate chain, or null
 * @param key PEM PKCS#8 private key of the chain's first certificate, or null
 * @param keystore PKCS#12 key store with one private key entry, or null
 * @param keystorePassword the key store's password (secret)
 */
public record RelayTls(Path certificate, Path key, Path keystore, String keystorePassword) {

  /** Plain HTTP. */
  public static final RelayTls NONE = new RelayTls(null, null, null, null);

  /** The loaded key store with its password, ready for the HTTP server. */
  public record Keys(KeyStore store, String password, List<X509Certificate> chain) {
    @Override
    public String toString() {
      return "Keys[" + chain.get(0).getSubjectX500Principal() + "]";
    }
  }

  public RelayTls {
    boolean pem = certificate != null || key != null;
    if (pem && keystore != null) {
      throw new IllegalArgumentException("set either relay.tls.certificate and relay.tls.key (PEM) or relay.tls.keystore "
          + "(PKCS#12), not both");
    }
    if (pem && (certificate == null || key == null)) {
      throw new IllegalArgumentException(certificate == null
          ? "relay.tls.key is set but relay.tls.certificate is not: name the PEM file with the certificate chain"
          : "relay.tls.certificate is set but relay.tls.key is not: name the PEM file with its PKCS#8 private key");
    }
    if (keystore != null && keystorePassword == null) {
      throw new IllegalArgumentException("relay.tls.keystore needs its password: set the environment variable "
          + "FERRY_RELAY_TLS_KEYSTORE_PASSWORD (preferred) or relay.tls.keystore-password");
    }
    if (pem || keystore != null) {
      load(certificate, key, keystore, keystorePassword); // fails here, with the setting named, rather than at the first client
    }
  }

  /** PEM certificate chain and PKCS#8 key. */
  public static RelayTls pem(Path certificate, Path key) {
    return new RelayTls(certificate, key, null, null);
  }

  /** A PKCS#12 key store. */
  public static RelayTls pkcs12(Path keystore, String password) {
    return new RelayTls(null, null, keystore, password);
  }

  public boolean enabled() {
    return certificate != null || keystore != null;
  }

  /** The key store for the server; fails as the constructor would. */
  public Keys keys() {
    if (!enabled()) {
      throw new IllegalStateException("TLS is not configured");
    }
    return load(certificate, key, keystore, keystorePassword);
  }

  /** The pin an agent sets as {@code agent.tls.pin}: {@code sha256/} + base64 SHA-256 of the public key's SubjectPublicKeyInfo. */
  public static String pin(X509Certificate certificate) {
    return "sha256/" + Base64.getEncoder().encodeToString(sha256(certificate.getPublicKey().getEncoded()));
  }

  /** The certificate's SHA-256 fingerprint as browsers and openssl show it, {@code AB:CD:…}. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256(certificate.getEncoded()));
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One line per setting; the password masked. */
  public String describe() {
    if (!enabled()) {
      return "relay.tls=(off: plain HTTP)";
    }
    if (keystore != null) {
      return "relay.tls.keystore=" + keystore.toAbsolutePath() + " relay.tls.keystore-password=****";
    }
    return "relay.tls.certificate=" + certificate.toAbsolutePath() + " relay.tls.key=" + key.toAbsolutePath();
  }

  @Override
  public String toString() {
    return "RelayTls[" + describe() + "]";
  }

  private static Keys load(Path certificate, Path key, Path keystore, String keystorePassword) {
    return keystore != null ? Pem.pkcs12(keystore, keystorePassword) : Pem.keys(certificate, key);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Reading PEM and PKCS#12 with the JDK alone. */
  static final class Pem {

    private Pem() {}

    static Keys keys(Path certificateFile, Path keyFile) {
      List<X509Certificate> chain = Certificates.read(certificateFile, "relay.tls.certificate");
      PrivateKey privateKey = PrivateKeys.read(keyFile, "relay.tls.key");
      PrivateKeys.checkPair(privateKey, chain.get(0), "relay.tls.key", "relay.tls.certificate");
      try {
        String password = Base64.getEncoder().encodeToString(PrivateKeys.random(18));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("relay", privateKey, password.toCharArray(), chain.toArray(new Certificate[0]));
        return new Keys(store, password, chain);
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot use relay.tls.certificate and relay.tls.key: " + e.getMessage(), e);
      }
    }

    static Keys pkcs12(Path file, String password) {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("relay.tls.keystore names no readable file: '" + file + "'");
      }
      try (InputStream in = Files.newInputStream(file)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, password.toCharArray());
        List<String> keyAliases = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
          if (store.isKeyEntry(alias)) {
            keyAliases.add(alias);
          }
        }
        if (keyAliases.size() != 1) {
          throw new IllegalArgumentException("relay.tls.keystore " + file + " must hold exactly one private key with its "
              + "certificate chain, holds " + keyAliases.size());
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : store.getCertificateChain(keyAliases.get(0))) {
          chain.add((X509Certificate) c);
        }
        return new Keys(store, password, chain);
      } catch (IOException e) {
        // A wrong password shows as an IOException whose cause is an UnrecoverableKeyException.
        throw new IllegalArgumentException("relay.tls.keystore " + file + " cannot be opened: wrong "
            + "FERRY_RELAY_TLS_KEYSTORE_PASSWORD / relay.tls.keystore-password, or not a PKCS#12 file", e);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("relay.tls.keystore " + file + " cannot be used: " + e.getMessage(), e);
      }
    }
  }
}
