package io.ferry.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.agent.proxy.ProxySettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  private static final Path DIR = Path.of("/tmp/ferry-agent");

  @Test
  void plainHttpToAnotherHostIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> AgentConfig.defaults(URI.create("http://relay.example.com"), DIR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agent.relay-url http://relay.example.com is plain http")
        .hasMessageContaining("agent.allow-insecure-http=true");
    assertThatThrownBy(() -> AgentConfig.defaults(URI.create("http://10.0.0.5:8080"), DIR))
        .hasMessageContaining("agent.allow-insecure-http");
  }

  @Test
  void plainHttpIsFineOnLoopbackOrWhenExplicitlyAllowed() {
    for (String url : List.of("http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.0.0.2")) {
      assertThat(AgentConfig.defaults(URI.create(url), DIR).relayUrl()).hasToString(url);
    }
    AgentConfig d = AgentConfig.defaults(URI.create("https://relay.example.com"), DIR);
    AgentConfig insecure = d.toBuilder().relayUrl(URI.create("http://relay.example.com")).allowInsecureHttp(true)
        .build();
    assertThat(insecure.describe()).contains("agent.allow-insecure-http=true");
  }

  @Test
  void durationsAreShownAndReportedAsOperatorsWriteThem() {
    AgentConfig d = AgentConfig.defaults(URI.create("https://relay.example.com"), DIR);
    assertThat(d.describe()).contains("agent.connect-timeout=10s", "agent.poll-timeout=40s", "agent.backoff-max=60s",
        "agent.sap-retry.initial-backoff=500ms", "agent.sap-breaker.cool-down=30s");
    assertThat(String.join("\n", d.describe())).doesNotContain("PT");
    assertThatThrownBy(() -> d.withPollTimeout(java.time.Duration.ofMinutes(10)))
        .hasMessageContaining("agent.poll-timeout must be between 1s and 5m, was 10m");
  }

  @Test
  void theCatalogIsReadAgainEveryQuarterOfAnHourUnlessSetWithinItsBounds() {
    AgentConfig d = AgentConfig.defaults(URI.create("https://relay.example.com"), DIR);

    assertThat(d.describe()).contains("agent.catalog-refresh=15m");
    assertThat(d.withCatalogRefresh(java.time.Duration.ofHours(1)).catalogRefresh()).hasHours(1);
    assertThatThrownBy(() -> d.withCatalogRefresh(java.time.Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent.catalog-refresh");
  }

  @Test
  void changesAreNotWatchedUnlessEnabledAndThenEveryMinuteWithFiveMinutesOverlapInUtc() {
    AgentConfig d = AgentConfig.defaults(URI.create("https://relay.example.com"), DIR);

    assertThat(d.changes().customers()).isFalse();
    assertThat(d.describe()).contains("agent.changes.customers.enabled=false", "agent.changes.interval=60s",
        "agent.changes.overlap=5m", "sap.time-zone=UTC");
  }

  @Test
  void watchingChangesNeedsCustomerReadInThePolicyAndSaysWhichSettingsToChange() {
    AgentConfig d = AgentConfig.defaults(URI.create("https://relay.example.com"), DIR)
        .withPolicy(io.ferry.agent.policy.AgentPolicy.defaults().withActions(io.ferry.protocol.Action.CUSTOMER_SEARCH));

    assertThatThrownBy(() -> d.withChanges(io.ferry.agent.changes.ChangeSettings.OFF.withCustomers(true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agent.changes.customers.enabled").hasMessageContaining("policy.actions")
        .hasMessageContaining("customer.read");
  }

  @Test
  void theChangeIntervalAndOverlapAreCheckedNamingTheSetting() {
    var off = io.ferry.agent.changes.ChangeSettings.OFF;

    assertThatThrownBy(() -> off.withInterval(java.time.Duration.ofSeconds(1)))
        .hasMessageContaining("agent.changes.interval must be between 5s and 24h, was 1s");
    assertThatThrownBy(() -> off.withInterval(java.time.Duration.ofDays(2)))
        .hasMessageContaining("agent.changes.interval");
    assertThatThrownBy(() -> off.withOverlap(java.time.Duration.ofSeconds(-1)))
        .hasMessageContaining("agent.changes.overlap");
    assertThatThrownBy(() -> io.ferry.agent.changes.ChangeSettings.timeZone("Mars/Olympus"))
        .hasMessageContaining("sap.time-zone").hasMessageContaining("Europe/Berlin");
    assertThat(io.ferry.agent.changes.ChangeSettings.timeZone("Europe/Berlin").getId()).isEqualTo("Europe/Berlin");
  }

  @Test
  void theEffectiveConfigurationMasksTheProxyPassword() {
    ProxySettings proxy = ProxySettings.resolve(Map.of("url", "http://proxy.corp:3128", "user", "svc-ferry",
        "password", "Prx-S3cret-91")::get, URI.create("https://relay.example.com"), k -> null);
    AgentConfig cfg = AgentConfig.defaults(URI.create("https://relay.example.com"), DIR).withProxy(proxy);

    assertThat(cfg.toString()).contains("agent.proxy.password=****", "svc-ferry").doesNotContain("Prx-S3cret-91");
    assertThat(proxy.toString()).doesNotContain("Prx-S3cret-91");
  }

  @Test
  void theSqsTransportNeedsItsQueueSettingsAndNeverShowsTheSecret() {
    AgentConfig d = AgentConfig.defaults(URI.create("https://relay.example.com"), DIR);
    assertThat(d.transport()).isEqualTo(AgentConfig.Transport.STREAM);
    assertThatThrownBy(() -> d.withTransport(new AgentConfig.Transport(AgentConfig.Transport.Mode.SQS, null)))
        .hasMessageStartingWith("agent.transport=sqs needs the queue settings");

    AgentConfig sqs = d.withTransport(AgentConfig.Transport.sqs(io.ferry.sqs.SqsSettings.defaults("eu-central-1")
        .withCredentials("AKIAEXAMPLE12345", "Sqs-S3cret-77")));
    assertThat(sqs.describe()).contains("agent.transport=sqs");
    assertThat(sqs.toString()).contains("sqs.region=eu-central-1").doesNotContain("Sqs-S3cret-77")
        .doesNotContain("AKIAEXAMPLE12345");
  }
}
