package io.ferry.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.agent.AgentConfig;
import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.sap.SapCall;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SimulatedSap;
import io.ferry.agent.sap.resilience.BreakerState;
import io.ferry.agent.sap.resilience.BreakerStatus;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SalesArea;
import io.ferry.testing.PrometheusLint;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The agent's optional endpoint over real HTTP, with calls to the simulated SAP behind the numbers. */
class MetricsEndpointTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void offByDefaultSoTheAgentOpensNoPort() {
    AgentConfig defaults = AgentConfig.defaults(URI.create("https://relay.example.com"), Path.of("agent-data"));
    assertThat(defaults.metrics().enabled()).isFalse();
    assertThat(defaults.describe()).contains("agent.metrics.port=(off)");
    assertThat(MetricsSettings.loopback(9464).host()).isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> new MetricsSettings(true, "127.0.0.1", 70_000))
        .hasMessageContaining("agent.metrics.port must be between 1 and 65535");
  }

  @Test
  void servesSapCallTimesJobCountsAndTheBreakerOnLoopback() throws Exception {
    AtomicReference<BreakerStatus> breaker = new AtomicReference<>(new BreakerStatus("bapi", BreakerState.CLOSED, 0, null));
    try (SimulatedSap sim = SimulatedSap.start(SimulatedSap.Kind.BAPI); AgentMetrics metrics = new AgentMetrics()) {
      metrics.watch(() -> 2, breaker::get, () -> Optional.of(Instant.now()), () -> 0, Clock.systemUTC());
      SapCalls sap = SapCalls.of(metrics.meter(sim.backend().name()));
      CustomerPort port = sim.customers();
      Customer created = sap.run(SapCall.create("create", "the customer", () -> port.create(customer()), null, "none"));
      sap.run(SapCall.repeatable("read", "the customer", () -> port.read(created.customerNumber())));
      assertThatThrownBy(() -> sap.run(SapCall.repeatable("read", "the customer", () -> port.read("0099999999"))))
          .isInstanceOf(SapException.class);
      JobEnvelope job = new JobEnvelope(Protocol.VERSION, "01JOB", Action.CUSTOMER_CREATE, 1, Instant.now(),
          Instant.now().plusSeconds(600), null, customer(), null, null, null, null);
      metrics.jobFinished(job, JobResult.succeeded(job, created), 5_000_000);
      breaker.set(new BreakerStatus("bapi", BreakerState.OPEN, 5, Instant.now().plusSeconds(30)));
      System.gc(); // gauges hold their objects weakly unless told otherwise: after a collection they must still read

      try (MetricsServer server = MetricsServer.start(MetricsSettings.loopback(0), metrics)) {
        HttpResponse<String> scrape = get(server, "/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        String text = scrape.body();
        assertThat(text)
            .contains("ferry_agent_sap_call_seconds_count{backend=\"bapi\",operation=\"create\",outcome=\"success\"} 1")
            .contains("ferry_agent_sap_call_seconds_count{backend=\"bapi\",operation=\"read\",outcome=\"success\"} 1")
            .contains("ferry_agent_sap_call_seconds_count{backend=\"bapi\",operation=\"read\",outcome=\"not_found\"} 1")
            .contains("ferry_agent_sap_call_seconds_bucket{backend=\"bapi\",operation=\"create\",outcome=\"success\",le=")
            .contains("ferry_agent_jobs_total{action=\"customer.create\",outcome=\"succeeded\"} 1")
            .contains("ferry_agent_job_duration_seconds_count{action=\"customer.create\"} 1")
            .contains("ferry_agent_sap_breaker_state{backend=\"bapi\",state=\"open\"} 1")
            .contains("ferry_agent_sap_breaker_state{backend=\"bapi\",state=\"closed\"} 0")
            .contains("ferry_agent_jobs_in_flight 2")
            .contains("ferry_agent_outbox_pending 0")
            .contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds")
            .doesNotContain(created.customerNumber()).doesNotContain("Muster");

        HttpResponse<String> health = get(server, "/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(get(server, "/other").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(url(server, "/metrics"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
      }
    }
  }

  /**
   * Every outcome of ferry_agent_jobs_total exists at 0 before the first job, so an alert on
   * {@code increase(ferry_agent_jobs_total{outcome="failed_unavailable"}[15m]) > 0} fires on the first one after
   * a restart; and nothing in the scrape breaks promtool's naming rules (the JVM binders' CPU names did).
   */
  @Test
  void everyKnownOutcomeIsThereAtZeroAndTheNamesPassPromtoolsRules() throws Exception {
    try (AgentMetrics metrics = new AgentMetrics();
        MetricsServer server = MetricsServer.start(MetricsSettings.loopback(0), metrics)) {
      String text = get(server, "/metrics").body();
      for (Action action : Action.values()) {
        assertThat(text).contains("ferry_agent_jobs_total{action=\"" + action.wireName() + "\",outcome=\"succeeded\"} 0");
        for (io.ferry.protocol.JobError.Kind kind : io.ferry.protocol.JobError.Kind.values()) {
          assertThat(text).contains("ferry_agent_jobs_total{action=\"" + action.wireName() + "\",outcome=\"failed_"
              + kind.name().toLowerCase(java.util.Locale.ROOT) + "\"} 0");
        }
      }
      assertThat(PrometheusLint.problems(text)).isEmpty();
      assertThat(text).doesNotContain("process_cpu_time_ns_total").doesNotContain("system_cpu_count")
          .contains("# TYPE process_cpu_seconds_total counter").contains("system_cpus ");
    }
  }

  /** Without an endpoint the JVM's own metrics are not bound (they cost the start time); the agent's are counted. */
  @Test
  void withoutAnEndpointOnlyTheAgentsOwnMetricsAreKept() {
    try (AgentMetrics metrics = new AgentMetrics(false)) {
      metrics.watch(() -> 1, () -> new BreakerStatus("bapi", BreakerState.CLOSED, 0, null), Optional::empty, () -> 0,
          Clock.systemUTC());
      assertThat(metrics.scrape()).contains("ferry_agent_jobs_in_flight 1")
          .doesNotContain("jvm_memory_used_bytes").doesNotContain("jvm_gc_").doesNotContain("process_uptime_seconds");
    }
  }

  @Test
  void listensOnLoopbackUnlessToldOtherwise() throws Exception {
    try (AgentMetrics metrics = new AgentMetrics();
        MetricsServer server = MetricsServer.start(MetricsSettings.loopback(0), metrics)) {
      assertThat(InetAddress.getByName(MetricsSettings.DEFAULT_HOST).isLoopbackAddress()).isTrue();
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
    }
    // A port already taken is an error naming the setting, not a silent agent without metrics.
    try (AgentMetrics metrics = new AgentMetrics();
        MetricsServer first = MetricsServer.start(MetricsSettings.loopback(0), metrics)) {
      assertThatThrownBy(() -> MetricsServer.start(MetricsSettings.loopback(first.port()), metrics))
          .hasMessageContaining("agent.metrics.port");
    }
  }

  private HttpResponse<String> get(MetricsServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(url(server, path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI url(MetricsServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static Customer customer() {
    return new Customer(null, "CRM-M1", "Muster GmbH", null, "Hauptstrasse", "5", "69190", "Walldorf", null, "DE",
        "de", "EUR", null, null, new SalesArea("1000", "10", "00"), "1000", null, null);
  }
}
