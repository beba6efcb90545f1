package io.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.proxy.ProxySettings;
import io.ferry.agent.relay.RelayException;
import io.ferry.agent.tls.TlsSettings;
import io.ferry.relay.tls.RelayTls;
import io.ferry.relay.tls.SelfSigned;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent and relay over HTTPS with the relay's self-signed trial certificate, the way an operator sets it
 * up (the certificate's PEM file as the agent's CA file), and through a corporate CONNECT proxy.
 */
class TransportSecurityTest {

  @TempDir Path dir;
  private FerryStack stack;
  private SelfSigned.Result cert;
  private ConnectProxy proxy;

  @BeforeEach
  void certificate() {
    cert = SelfSigned.ensure(dir.resolve("relay"), List.of(), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private TlsSettings trustingTheRelay() {
    return new TlsSettings(cert.tls().certificate(), List.of(RelayTls.pin(cert.certificate())));
  }

  private Engine engine() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("relay", cert.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return new Engine(stack.url(), stack.apiKey(), ctx);
  }

  private static ProxySettings proxy(String url, String user, String password, String bypass) {
    Map<String, String> settings = new java.util.HashMap<>();
    settings.put("url", url);
    settings.put("user", user);
    settings.put("password", password);
    settings.put("bypass", bypass);
    return ProxySettings.resolve(settings::get, URI.create("https://127.0.0.1"), k -> null);
  }

  @Test
  void theAgentWorksOverHttpsTrustingTheSelfSignedCertificateByItsCaFileAndPin() throws Exception {
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).withRelayTls(cert.tls()).withAgent(c -> c.withTls(trustingTheRelay()))
        .start();

    assertThat(stack.url().getScheme()).isEqualTo("https");
    Engine.Answer a = engine().post("/v1/customers", CustomerLifecycleTest.customer("T1", "DE", ""));
    assertThat(a.status()).isEqualTo(201);
  }

  @Test
  void withoutTheCaFileTheRelayIsNotTrusted() throws Exception {
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).withRelayTls(cert.tls()).withAgent(c -> c.withTls(trustingTheRelay()))
        .start();
    AgentConfig untrusting = stack.agentConfig().withTls(TlsSettings.SYSTEM);

    RelayException e = catchThrowableOfType(RelayException.class,
        () -> Agent.enroll(untrusting.withDataDir(dir.resolve("other")), stack.enrollmentToken(), "other"));

    assertThat(e.kind()).isEqualTo(RelayException.Kind.NETWORK);
    assertThat(e.getMessage()).contains("not trusted", "agent.tls.ca-file");
  }

  @Test
  void aWrongPinRefusesTheConnectionWithAClearMessage() throws Exception {
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).withRelayTls(cert.tls()).withAgent(c -> c.withTls(trustingTheRelay()))
        .start();
    String otherKeysPin = RelayTls.pin(SelfSigned.ensure(dir.resolve("other-relay"), List.of(), Clock.systemUTC()).certificate());
    AgentConfig pinned = stack.agentConfig().withTls(new TlsSettings(cert.tls().certificate(), List.of(otherKeysPin)));

    RelayException e = catchThrowableOfType(RelayException.class,
        () -> Agent.enroll(pinned.withDataDir(dir.resolve("other")), stack.enrollmentToken(), "other"));

    assertThat(e.getMessage()).contains("does not match agent.tls.pin", "connection was refused",
        RelayTls.pin(cert.certificate()));
  }

  @Test
  void theAgentPollsThroughAnAuthenticatingProxy() throws Exception {
    proxy = new ConnectProxy("svc-ferry", "Proxy-Pw-4411");
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).withRelayTls(cert.tls())
        .withAgent(c -> c.withTls(trustingTheRelay()).withProxy(proxy(proxy.url(), "svc-ferry", "Proxy-Pw-4411", null)))
        .start();

    Engine.Answer a = engine().post("/v1/customers", CustomerLifecycleTest.customer("T2", "DE", ""));

    assertThat(a.status()).isEqualTo(201);
    assertThat(proxy.connects()).isNotEmpty().allSatisfy(c -> {
      assertThat(c.target()).isEqualTo("127.0.0.1:" + stack.url().getPort());
      assertThat(c.status()).isEqualTo(200);
      assertThat(c.authorization()).startsWith("Basic ");
    });
  }

  @Test
  void wrongProxyCredentialsAreNamedAndNothingPassesTheProxy() throws Exception {
    proxy = new ConnectProxy("svc-ferry", "Proxy-Pw-4411");
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).withRelayTls(cert.tls()).withAgent(c -> c.withTls(trustingTheRelay()))
        .start();
    AgentConfig wrong = stack.agentConfig().withProxy(proxy(proxy.url(), "svc-ferry", "not-the-password", null));

    RelayException e = catchThrowableOfType(RelayException.class,
        () -> Agent.enroll(wrong.withDataDir(dir.resolve("other")), stack.enrollmentToken(), "other"));

    assertThat(e.getMessage()).contains("refused the credentials of proxy user svc-ferry", "HTTP 407",
        "FERRY_PROXY_PASSWORD").doesNotContain("not-the-password");
    assertThat(proxy.connects()).isNotEmpty().allSatisfy(c -> assertThat(c.status()).isEqualTo(407));
  }

  @Test
  void aHostOnTheBypassListIsReachedDirectly() throws Exception {
    proxy = new ConnectProxy(null, null);
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).withRelayTls(cert.tls())
        .withAgent(c -> c.withTls(trustingTheRelay()).withProxy(proxy(proxy.url(), null, null, "localhost, 127.0.0.1")))
        .start();

    assertThat(engine().post("/v1/customers", CustomerLifecycleTest.customer("T3", "DE", "")).status()).isEqualTo(201);
    assertThat(proxy.connects()).isEmpty();
  }
}
