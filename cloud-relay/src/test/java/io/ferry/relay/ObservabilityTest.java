package io.ferry.relay;

import io.ferry.relay.config.RelayConfig;
import io.ferry.testing.PrometheusLint;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.JobEnvelope;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /healthz}, {@code /readyz} and {@code /metrics} over real HTTP, with real jobs behind the numbers. */
class ObservabilityTest {

  private static final String TOKEN = "metrics-token-0123456789abcdef";

  @TempDir Path dataDir;

  @Test
  void livenessAndReadinessNeedNoKeyAndAnswerSmallJson() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      Engine anonymous = new Engine(relay.base(), null);
      Reply health = anonymous.get("/healthz");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().path("status").asText()).isEqualTo("UP");
      Reply ready = anonymous.get("/readyz");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.json().path("status").asText()).isEqualTo("READY");
      assertThat(ready.header("Content-Type")).startsWith("application/json");
    }
  }

  @Test
  void readinessIs503NamingTheCauseWhenTheStoresSchemaIsNotWhatTheRelayNeeds() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      // Another process rolled the last migration back as failed: the relay must not take traffic.
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("relay.db"));
          Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE flyway_schema_history SET success = 0 "
            + "WHERE installed_rank = (SELECT MAX(installed_rank) FROM flyway_schema_history)");
      }
      Reply ready = new Engine(relay.base(), null).get("/readyz");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.header("Content-Type")).startsWith("application/problem+json");
      assertThat(ready.json().path("code").asText()).isEqualTo("FERRY-RELAY-0902");
      assertThat(ready.json().path("detail").asText()).contains("migration V").contains("failed");
      assertThat(ready.header("Retry-After")).isEqualTo("5");
      assertThat(new Engine(relay.base(), null).get("/healthz").status()).as("still alive").isEqualTo(200);
    }
  }

  @Test
  void metricsCountJobsByActionAndStateAndTimeTheirWaitAndLife() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();
      tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      JobEnvelope job = agent.takeOne();
      agent.succeed(job, Fixtures.created(job.customer(), "0000100001"));
      // One more that waits: the queue gauge counts it at the next refresh.
      tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON.replace("CRM-", "CRM-W"), "Prefer", "respond-async");
      relay.relay.refreshMetrics();

      Reply scrape = new Engine(relay.base(), null).get("/metrics");
      assertThat(scrape.status()).isEqualTo(200);
      assertThat(scrape.header("Content-Type")).startsWith("text/plain");
      String text = scrape.body();
      assertThat(value(text, "ferry_relay_jobs_transitions_total{action=\"customer.create\",state=\"queued\"}"))
          .isEqualTo(2);
      assertThat(value(text, "ferry_relay_jobs_transitions_total{action=\"customer.create\",state=\"leased\"}"))
          .isEqualTo(1);
      assertThat(value(text, "ferry_relay_jobs_transitions_total{action=\"customer.create\",state=\"succeeded\"}"))
          .isEqualTo(1);
      assertThat(value(text, "ferry_relay_job_queue_wait_seconds_count{action=\"customer.create\"}")).isEqualTo(1);
      assertThat(value(text,
          "ferry_relay_job_end_to_end_seconds_count{action=\"customer.create\",state=\"succeeded\"}")).isEqualTo(1);
      assertThat(text).contains("ferry_relay_job_end_to_end_seconds_bucket{action=\"customer.create\",state=\"succeeded\",le=");
      assertThat(value(text, "ferry_relay_jobs_current{action=\"customer.create\",state=\"queued\"}")).isEqualTo(1);
      assertThat(value(text, "ferry_relay_queue_depth")).isEqualTo(1);
      assertThat(value(text, "ferry_relay_agents_online")).isEqualTo(1);
      assertThat(text).containsPattern("http_server_requests_seconds_count\\{method=\"POST\",status=\"202\","
          + "uri=\"/v1/customers\"} 2");
      assertThat(text).contains("uri=\"/agent/v1/jobs/{id}/result\"");
      // No tenant, key or customer in any label: the whole relay's numbers, by bounded labels only.
      assertThat(text).doesNotContain(tenant.id()).doesNotContain(job.jobId()).doesNotContain("0000100001")
          .doesNotContain("Muster");
    }
  }

  /**
   * A documented alert is {@code increase(ferry_relay_jobs_transitions_total{state=~"expired|dead"}[15m]) > 0}:
   * a series born at 1 with its first event shows no increase, so every series such an alert watches must be
   * there, at 0, before anything happened.
   */
  @Test
  void theSeriesAlertsWatchExistAtZeroFromTheStart() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      String text = new Engine(relay.base(), null).get("/metrics").body();
      for (io.ferry.protocol.Action action : io.ferry.protocol.Action.values()) {
        String a = action.wireName();
        for (String state : java.util.List.of("queued", "leased", "succeeded", "failed", "expired", "dead",
            "cancelled")) {
          assertThat(value(text, "ferry_relay_jobs_transitions_total{action=\"" + a + "\",state=\"" + state + "\"}"))
              .isZero();
        }
        assertThat(value(text, "ferry_relay_jobs_requeued_total{action=\"" + a + "\"}")).isZero();
      }
    }
  }

  /** What {@code promtool check metrics} flagged in the JVM binders' names is gone, and nothing else is flagged. */
  @Test
  void theScrapePassesPrometheusNamingRules() {
    // The renaming filters are set before any meter; set later, Micrometer warns (with a stack trace) at every start.
    ch.qos.logback.classic.Logger micrometer = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.micrometer");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> warnings =
        new ch.qos.logback.core.read.ListAppender<>();
    warnings.start();
    micrometer.addAppender(warnings);
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      micrometer.detachAppender(warnings);
      assertThat(warnings.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN));
      String text = new Engine(relay.base(), null).get("/metrics").body();
      assertThat(PrometheusLint.problems(text)).isEmpty();
      assertThat(text).doesNotContain("process_cpu_time_ns_total").doesNotContain("system_cpu_count");
      assertThat(value(text, "process_cpu_seconds_total")).isPositive();
      assertThat(value(text, "system_cpus")).isPositive();
      assertThat(text).contains("# TYPE process_cpu_seconds_total counter");
    }
  }

  @Test
  void metricsFromElsewhereNeedTheRelaysTokenAndNeverATenantsKey() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      // A reverse proxy on this machine makes everyone look local: a forwarded request is not loopback.
      Reply proxied = new Engine(relay.base(), null).get("/metrics", "X-Forwarded-For", "203.0.113.9");
      assertThat(proxied.status()).isEqualTo(403);
      assertThat(proxied.json().path("code").asText()).isEqualTo("FERRY-RELAY-0209");
      assertThat(new Engine(relay.base(), tenant.apiKey()).get("/metrics", "Forwarded", "for=203.0.113.9").status())
          .isEqualTo(403);
    }
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withMetricsToken(TOKEN))) {
      Engine anonymous = new Engine(relay.base(), null);
      Reply missing = anonymous.get("/metrics", "X-Forwarded-For", "203.0.113.9");
      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(anonymous.get("/metrics", "X-Forwarded-For", "203.0.113.9", "Authorization", "Bearer " + TOKEN + "x")
          .status()).isEqualTo(401);
      Reply granted = anonymous.get("/metrics", "X-Forwarded-For", "203.0.113.9", "Authorization", "Bearer " + TOKEN);
      assertThat(granted.status()).isEqualTo(200);
      assertThat(granted.body()).contains("ferry_relay_queue_depth");
    }
  }

  @Test
  void theMetricsTokenIsValidatedAndNeverShownInTheConfiguration() {
    RelayConfig config = RelayConfig.defaults(dataDir).withMetricsToken(TOKEN);
    assertThat(config.describe()).contains("relay.metrics.token=****").doesNotContain(TOKEN);
    assertThat(config.toString()).doesNotContain(TOKEN);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.withMetricsToken("short"))
        .hasMessageContaining("relay.metrics.token must be at least 16");
  }

  private static double value(String exposition, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
    assertThat(m.find()).as(series + " in\n" + exposition).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
