package io.ferry.agent.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.CertificatePinner;
import okhttp3.OkHttpClient;

/**
 * How the agent checks the relay's certificate ({@code agent.tls.*}), validated when built.
 *
 * <p>The relay's certificate must always be trusted: by the system trust store, or by the CA file (a PEM
 * file with one or more certificates; a self-signed relay certificate can be its own CA). A pin adds a
 * second check on top, never replaces the first: the relay's chain must contain a certificate whose
 * SubjectPublicKeyInfo hashes to the pin. Nothing in Ferry trusts every certificate.
 *
 * @param caFile PEM certificates trusted in addition to the system trust store ({@code agent.tls.ca-file});
 *     null for the system trust store only
 * @param pins {@code sha256/} + base64 of the SHA-256 of a certificate's SubjectPublicKeyInfo, as OkHttp's
 *     {@code CertificatePinner} writes it ({@code agent.tls.pin}, several separated by commas during a key
 *     change); empty for no pinning
 */
public record TlsSettings(Path caFile, List<String> pins) {

  /** The system trust store, no pin. */
  public static final TlsSettings SYSTEM = new TlsSettings(null, List.of());

  private static final Pattern PIN = Pattern.compile("sha256/[A-Za-z0-9+/]{43}=");

  public TlsSettings {
    List<String> problems = new ArrayList<>();
    if (caFile != null) {
      try {
        certificates(caFile);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    List<String> normalized = new ArrayList<>();
    for (String pin : pins == null ? List.<String>of() : pins) {
      String p = pin == null ? "" : pin.strip();
      if (!p.isEmpty() && !p.startsWith("sha256/")) {
        p = "sha256/" + p;
      }
      if (!PIN.matcher(p).matches()) {
        problems.add("agent.tls.pin must be sha256/ followed by the base64 SHA-256 of the relay certificate's public key "
            + "(44 characters, as `ferry relay serve` prints it), was '" + pin + "'");
      } else {
        normalized.add(p);
      }
    }
    pins = List.copyOf(normalized);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** The pin of a certificate: {@code sha256/} + base64 of the SHA-256 of its SubjectPublicKeyInfo. */
  public static String pinOf(X509Certificate certificate) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
      return "sha256/" + Base64.getEncoder().encodeToString(hash);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * Makes the client check the relay at {@code host} this way: the system trust store plus the CA file,
   * OkHttp's host name verification, and the pins.
   */
  public void apply(OkHttpClient.Builder client, String host) {
    if (caFile != null) {
      X509TrustManager trust = new TrustStores(system(), fromCaFile()).manager();
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        client.sslSocketFactory(context.getSocketFactory(), trust);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot set up TLS with agent.tls.ca-file " + caFile + ": " + e.getMessage(), e);
      }
    }
    if (!pins.isEmpty()) {
      CertificatePinner.Builder pinner = new CertificatePinner.Builder();
      for (String pin : pins) {
        pinner.add(host, pin);
      }
      client.certificatePinner(pinner.build());
    }
  }

  private X509TrustManager fromCaFile() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (X509Certificate c : certificates(caFile)) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      return trustManager(store);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("agent.tls.ca-file " + caFile + " cannot be used: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager system() {
    try {
      return trustManager(null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the system trust store cannot be read: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    for (TrustManager m : f.getTrustManagers()) {
      if (m instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  static List<X509Certificate> certificates(Path file) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("agent.tls.ca-file names no readable file: '" + file
          + "'; give the PEM file of the CA that issued the relay's certificate (or of a self-signed relay certificate)");
    }
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : read) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("agent.tls.ca-file " + file + " holds no certificate; it must be PEM "
            + "(-----BEGIN CERTIFICATE-----)");
      }
      return out;
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("agent.tls.ca-file " + file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  /** The settings as {@code key=value} lines (nothing here is secret). */
  public List<String> describe() {
    return List.of("agent.tls.ca-file=" + (caFile == null ? "(none: the system trust store only)"
            : caFile.toAbsolutePath() + " (and the system trust store)"),
        "agent.tls.pin=" + (pins.isEmpty() ? "(none)" : String.join(",", pins)));
  }

  @Override
  public String toString() {
    return "TlsSettings[" + String.join(", ", describe()) + "]";
  }
}
