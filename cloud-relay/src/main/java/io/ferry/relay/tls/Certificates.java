package io.ferry.relay.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** PEM certificate files, read with the JDK. */
final class Certificates {

  private Certificates() {}

  static List<X509Certificate> read(Path file, String setting) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(setting + " names no readable file: '" + file + "'");
    }
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        chain.add((X509Certificate) c);
      }
      if (chain.isEmpty()) {
        throw new IllegalArgumentException(setting + " " + file + " holds no certificate (-----BEGIN CERTIFICATE-----)");
      }
      return chain;
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(setting + " " + file + " is not a PEM certificate chain: " + e.getMessage(), e);
    }
  }
}
