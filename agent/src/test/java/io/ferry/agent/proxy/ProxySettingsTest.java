package io.ferry.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {

  private static final URI RELAY = URI.create("https://relay.example.com");

  private static ProxySettings resolve(Map<String, String> settings, Map<String, String> env) {
    return ProxySettings.resolve(settings::get, RELAY, env::get);
  }

  @Test
  void theEnvironmentsHttpsProxyAndNoProxyAreHonoured() {
    ProxySettings p = resolve(Map.of(), Map.of("https_proxy", "http://svc:p%40ss@proxy.corp:3128",
        "NO_PROXY", "localhost, .corp.example,10.1.2.3"));

    assertThat(p.url()).hasToString("http://proxy.corp:3128");
    assertThat(p.source()).isEqualTo("https_proxy");
    assertThat(p.user()).isEqualTo("svc");
    assertThat(p.password()).isEqualTo("p@ss");
    assertThat(p.bypasses("relay.example.com")).isFalse();
    assertThat(p.bypasses("sap.corp.example")).isTrue();
    assertThat(p.bypasses("corp.example")).isTrue();
    assertThat(p.bypasses("LOCALHOST")).isTrue();
    assertThat(p.bypasses("10.1.2.3")).isTrue();
    assertThat(p.bypasses("10.1.2.30")).isFalse();
    assertThat(p.toString()).doesNotContain("p@ss");
  }

  @Test
  void explicitSettingsWinAndDirectSwitchesTheEnvironmentOff() {
    Map<String, String> env = Map.of("HTTPS_PROXY", "http://env-proxy:8080", "FERRY_PROXY_PASSWORD", "from-env");
    ProxySettings p = resolve(Map.of("url", "http://proxy.corp:3128", "user", "svc", "password", "from-file",
        "bypass", "*.internal,relay.example.com:443"), env);

    assertThat(p.url()).hasToString("http://proxy.corp:3128");
    assertThat(p.password()).isEqualTo("from-env");
    assertThat(p.bypasses("relay.example.com")).isTrue();
    assertThat(p.bypasses("a.b.internal")).isTrue();
    assertThat(resolve(Map.of("url", "direct"), env).url()).isNull();
    assertThat(resolve(Map.of("bypass", "*"), env).bypasses("anything.example")).isTrue();
  }

  @Test
  void aPlainRelayUsesHttpProxyAndNoProxyMeansDirect() {
    assertThat(ProxySettings.resolve(k -> null, URI.create("http://127.0.0.1:8080"), Map.of("http_proxy",
        "proxy:3128")::get).url()).hasToString("http://proxy:3128");
    assertThat(resolve(Map.of(), Map.of()).url()).isNull();
  }

  @Test
  void mistakesNameTheSetting() {
    assertThatThrownBy(() -> resolve(Map.of("url", "socks5://proxy:1080"), Map.of()))
        .hasMessageContaining("agent.proxy.url must be http://host:port");
    assertThatThrownBy(() -> resolve(Map.of("url", "http://u:p@proxy:3128"), Map.of()))
        .hasMessageContaining("must not contain credentials").hasMessageNotContaining("u:p");
    assertThatThrownBy(() -> resolve(Map.of("user", "svc"), new HashMap<>()))
        .hasMessageContaining("agent.proxy.user is set but no proxy is");
  }
}
