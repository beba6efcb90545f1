package io.ferry.agent.sap.odata;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS with a client certificate from a PKCS#12 key store ({@code sap.odata.client-certificate}). The
 * server is verified against the JVM's trust store, as for every other connection; nothing here trusts
 * every certificate.
 */
final class ClientCertificates {

  /** What OkHttp needs for TLS client authentication, and the certificate's alias for messages. */
  record Tls(SSLSocketFactory socketFactory, X509TrustManager trustManager, String alias) {}

  private ClientCertificates() {}

  /** Loads the key store; {@link IllegalArgumentException} naming the setting when it cannot be used. */
  static Tls load(Path keyStore, String password) {
    char[] pw = password == null ? new char[0] : password.toCharArray();
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        ks.load(in, pw);
      }
      String alias = Collections.list(ks.aliases()).stream().filter(a -> isKey(ks, a)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("sap.odata.client-certificate '" + keyStore
              + "' holds no private key with a certificate; export the client certificate with its key as PKCS#12"));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      X509TrustManager trust = null;
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          trust = x;
        }
      }
      if (trust == null) {
        throw new IllegalStateException("the JVM has no X.509 trust manager");
      }
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), new TrustManager[] {trust}, null);
      return new Tls(tls.getSocketFactory(), trust, alias);
    } catch (IOException e) {
      // PKCS#12 reports a wrong password as an IOException whose cause is an UnrecoverableKeyException.
      throw new IllegalArgumentException("sap.odata.client-certificate '" + keyStore + "' cannot be read as a PKCS#12 "
          + "key store (" + e.getMessage() + "); check the file and its password (" + ODataSettings.CERT_PASSWORD_ENV
          + " or sap.odata.client-certificate-password)", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("sap.odata.client-certificate '" + keyStore + "' cannot be used: "
          + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(pw, '\0');
    }
  }

  private static boolean isKey(KeyStore ks, String alias) {
    try {
      return ks.isKeyEntry(alias) && ks.getCertificate(alias) != null;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
