package io.ferry.relay.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.relay.Relay;
import io.ferry.relay.config.RelayConfig;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay serves HTTPS from PEM or PKCS#12, and makes a self-signed certificate for trials. */
class RelayTlsTest {

  @TempDir Path dir;

  @Test
  void theSelfSignedCertificateIsMadeOnceOwnerOnlyAndReused() throws Exception {
    SelfSigned.Result first = SelfSigned.ensure(dir, List.of("relay.example.test"), Clock.systemUTC());
    SelfSigned.Result again = SelfSigned.ensure(dir, List.of("relay.example.test"), Clock.systemUTC());

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.certificate()).isEqualTo(first.certificate());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.tls().key()))).isEqualTo("rw-------");
    assertThat(first.certificate().getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
        .contains("localhost", "127.0.0.1", "relay.example.test");
    assertThat(RelayTls.pin(first.certificate())).matches("sha256/[A-Za-z0-9+/]{43}=");
    assertThat(RelayTls.fingerprint(first.certificate())).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");

    Clock nextYear = Clock.fixed(Instant.now().plus(Duration.ofDays(360)), ZoneOffset.UTC);
    assertThat(SelfSigned.ensure(dir, List.of(), nextYear).created()).isTrue();
  }

  @Test
  void theRelayAnswersOverHttpsWithThatCertificate() throws Exception {
    SelfSigned.Result cert = SelfSigned.ensure(dir, List.of(), Clock.systemUTC());
    RelayConfig config = RelayConfig.defaults(dir.resolve("relay")).withHost("127.0.0.1").withPort(0).withTls(cert.tls());
    try (Relay relay = Relay.start(config)) {
      assertThat(relay.baseUrl().getScheme()).isEqualTo("https");
      try (Response r = client(cert.certificate()).newCall(new Request.Builder()
          .url(relay.baseUrl() + "/openapi.json").build()).execute()) {
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.handshake().tlsVersion().javaName()).isIn("TLSv1.3", "TLSv1.2");
      }
    }
  }

  @Test
  void aPkcs12KeyStoreWorksAndAWrongPasswordIsNamed() throws Exception {
    SelfSigned.Result cert = SelfSigned.ensure(dir, List.of(), Clock.systemUTC());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    RelayTls.Keys keys = cert.tls().keys();
    ks.setKeyEntry("relay", keys.store().getKey("relay", keys.password().toCharArray()), "p12-pass".toCharArray(),
        keys.chain().toArray(new X509Certificate[0]));
    Path p12 = dir.resolve("relay.p12");
    try (OutputStream out = Files.newOutputStream(p12)) {
      ks.store(out, "p12-pass".toCharArray());
    }

    assertThat(RelayTls.pkcs12(p12, "p12-pass").keys().chain().get(0)).isEqualTo(cert.certificate());
    assertThatThrownBy(() -> RelayTls.pkcs12(p12, "Wr0ng-Pass-Xyz"))
        .hasMessageContaining("FERRY_RELAY_TLS_KEYSTORE_PASSWORD").hasMessageNotContaining("Wr0ng-Pass-Xyz");
    assertThat(RelayTls.pkcs12(p12, "p12-pass").toString()).doesNotContain("p12-pass");
  }

  @Test
  void mismatchedOrUnusablePemFilesStopTheStartNamingTheSetting() throws Exception {
    SelfSigned.Result one = SelfSigned.ensure(dir.resolve("one"), List.of(), Clock.systemUTC());
    SelfSigned.Result two = SelfSigned.ensure(dir.resolve("two"), List.of(), Clock.systemUTC());

    assertThatThrownBy(() -> RelayTls.pem(one.tls().certificate(), two.tls().key()))
        .hasMessageContaining("relay.tls.key is not the private key of the first certificate in relay.tls.certificate");
    Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> RelayTls.pem(one.tls().certificate(), pkcs1))
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    assertThatThrownBy(() -> new RelayTls(one.tls().certificate(), null, null, null))
        .hasMessageContaining("relay.tls.key");
    assertThatThrownBy(() -> new RelayTls(null, null, dir.resolve("x.p12"), null))
        .hasMessageContaining("FERRY_RELAY_TLS_KEYSTORE_PASSWORD");
  }

  private static OkHttpClient client(X509Certificate trusted) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("relay", trusted);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
    return new OkHttpClient.Builder().sslSocketFactory(ctx.getSocketFactory(), tm).build();
  }
}
