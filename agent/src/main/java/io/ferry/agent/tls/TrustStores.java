package io.ferry.agent.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.X509TrustManager;

/**
 * Two trust stores as one: a chain is trusted when either trusts it. Each does its full check (path,
 * validity, constraints); this class adds no leniency of its own.
 */
final class TrustStores {

  private final X509TrustManager first;
  private final X509TrustManager second;

  TrustStores(X509TrustManager first, X509TrustManager second) {
    this.first = first;
    this.second = second;
  }

  X509TrustManager manager() {
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the agent does not accept client connections");
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
          first.checkServerTrusted(chain, authType);
        } catch (CertificateException notBySystem) {
          try {
            second.checkServerTrusted(chain, authType);
          } catch (CertificateException notByCaFile) {
            notByCaFile.addSuppressed(notBySystem);
            throw notByCaFile;
          }
        }
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
        all.addAll(List.of(second.getAcceptedIssuers()));
        return all.toArray(new X509Certificate[0]);
      }
    };
  }
}
