package io.ferry.agent.metrics;

import io.ferry.agent.sap.SapLayer;
import io.ferry.agent.sap.resilience.BreakerState;
import io.ferry.agent.sap.resilience.BreakerStatus;
import io.ferry.agent.status.AgentStatus;
import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The agent's metrics (docs/observability.md lists them). Jobs and SAP calls are counted and timed in
 * memory as they happen; the gauges read values the agent keeps anyway (in-flight count, breaker, last
 * good poll, outbox size) when Prometheus scrapes. Labels are bounded: action, outcome, backend, operation,
 * breaker state. Without an endpoint (agent.metrics.port unset) nothing is exposed and the cost is the
 * counting alone.
 */
public final class AgentMetrics implements AutoCloseable {

  private static final Duration[] SAP_BUCKETS = seconds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
  private static final Duration[] JOB_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300);

  private static final String SUCCEEDED = "succeeded";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /**
   * Listens to the JVM's GC notifications until closed: a closed registry must not stay reachable from them.
   * Null without an endpoint.
   */
  private final JvmGcMetrics gc;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  /** Settings jobs needed and the configuration lacks, by key; bounded, as engines choose the sales areas. */
  private final Map<String, AgentStatus.MissingSetting> missing = new ConcurrentHashMap<>();
  private static final int MAX_MISSING_SETTINGS = 50;

  public AgentMetrics() {
    this(true);
  }

  /**
   * @param exposed whether an endpoint serves these metrics. Only then are the JVM's own (memory, GC, threads,
   *     CPU, uptime) bound: nothing else reads them, and binding them costs the agent's start about a tenth of a
   *     second (management beans, GC listeners) before its first poll.
   */
  public AgentMetrics(boolean exposed) {
    gc = exposed ? new JvmGcMetrics() : null;
    if (exposed) {
      JvmMeters.promtoolClean(registry);
      new JvmMemoryMetrics().bindTo(registry);
      gc.bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      JvmMeters.processCpuSeconds(registry);
    }
    // Every outcome an alert may watch exists from the start at 0, so increase() sees the first one after a restart.
    for (Action action : Action.values()) {
      jobCounter(action.wireName(), SUCCEEDED);
      for (JobError.Kind kind : JobError.Kind.values()) {
        jobCounter(action.wireName(), failed(kind));
      }
    }
  }

  /** The layer that times each call to the backend named {@code backend}; put it inside the retries and the breaker. */
  public SapLayer meter(String backend) {
    return new MeteredCalls(backend, this);
  }

  /**
   * The gauges over the agent's running parts.
   *
   * @param inFlight jobs running now
   * @param breaker the SAP backend's circuit breaker
   * @param lastGoodPoll when a poll last reached the relay
   * @param outboxPending results waiting for delivery (-1 when the outbox cannot be read)
   */
  public void watch(IntSupplier inFlight, Supplier<BreakerStatus> breaker, Supplier<Optional<Instant>> lastGoodPoll,
      IntSupplier outboxPending, Clock clock) {
    // Strong references: a gauge holds its object weakly, and these suppliers (method references made
    // here) are referenced by nothing else, so a garbage collection would turn the gauges into NaN.
    Gauge.builder("ferry.agent.jobs.in.flight", inFlight, IntSupplier::getAsInt).strongReference(true)
        .description("Jobs the agent runs now").register(registry);
    Gauge.builder("ferry.agent.outbox.pending", outboxPending, IntSupplier::getAsInt).strongReference(true)
        .description("Results stored on disk and not yet delivered to the relay").register(registry);
    Gauge.builder("ferry.agent.relay.last.poll.age", lastGoodPoll,
            p -> p.get().map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0).orElse(Double.NaN))
        .description("Seconds since a poll last reached the relay (NaN before the first)")
        .baseUnit("seconds").strongReference(true).register(registry);
    String backend = breaker.get().backend();
    for (BreakerState state : BreakerState.values()) {
      // One series per state, 1 for the current one: alert on ferry_agent_sap_breaker_state{state="open"} == 1.
      Gauge.builder("ferry.agent.sap.breaker.state", breaker, b -> b.get().state() == state ? 1 : 0)
          .description("The SAP circuit breaker's state (agent.sap-breaker.*): 1 for the current state")
          .tags("backend", backend, "state", state.name().toLowerCase(Locale.ROOT)).strongReference(true)
          .register(registry);
    }
    Gauge.builder("ferry.agent.sap.breaker.failures", breaker, b -> b.get().consecutiveFailures())
        .description("Transient SAP failures in a row").tags("backend", backend).strongReference(true)
        .register(registry);
  }

  /** A job's run ended with {@code result} after {@code nanos}; counted by action and outcome. */
  public void jobFinished(JobEnvelope job, JobResult result, long nanos) {
    String action = job.action() == null ? "unknown" : job.action().wireName();
    String outcome = result.outcome() == JobResult.Outcome.SUCCEEDED ? SUCCEEDED
        : result.error() == null || result.error().kind() == null ? "failed"
        : failed(result.error().kind());
    jobCounter(action, outcome).increment();
    timers.computeIfAbsent("job|" + action, k -> Timer.builder("ferry.agent.job.duration")
        .description("From a job's start on the agent to its result in the outbox").tags("action", action)
        .serviceLevelObjectives(JOB_BUCKETS).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Change events the watcher found new ({@code found}) or the relay confirmed ({@code sent}): {@code ferry.agent.changes}. */
  public void changes(String outcome, int events) {
    counters.computeIfAbsent("changes|" + outcome, k -> Counter.builder("ferry.agent.changes")
        .description("Change events of customers the agent found in SAP (found) and the relay confirmed (sent)")
        .tags("object", "customer", "outcome", outcome).register(registry)).increment(events);
  }

  private Counter jobCounter(String action, String outcome) {
    return counters.computeIfAbsent("jobs|" + action + "|" + outcome, k -> Counter.builder("ferry.agent.jobs")
        .description("Jobs the agent ran, by action and outcome").tags("action", action, "outcome", outcome)
        .register(registry));
  }

  private static String failed(JobError.Kind kind) {
    return "failed_" + kind.name().toLowerCase(Locale.ROOT);
  }

  /**
   * A job needed {@code setting} and the configuration lacks it: counted as
   * {@code ferry.agent.sap.setting.missing} by the setting's family ({@code sap.reference-customer}, a bounded
   * label) and kept by key for {@code ferry agent status}.
   */
  void settingMissing(String setting) {
    String family = setting.replaceFirst("\\.[^.]*/.*$", "");
    counters.computeIfAbsent("missing|" + family, k -> Counter.builder("ferry.agent.sap.setting.missing")
        .description("Jobs refused because the agent's configuration lacks a setting they need (answered sap-configuration)")
        .tags("setting", family).register(registry)).increment();
    Instant now = Instant.now();
    if (missing.size() < MAX_MISSING_SETTINGS || missing.containsKey(setting)) {
      missing.merge(setting, new AgentStatus.MissingSetting(setting, 1, now),
          (a, b) -> new AgentStatus.MissingSetting(setting, a.jobs() + 1, now));
    }
  }

  /** The settings jobs needed and the configuration lacks, most recent first. */
  public List<AgentStatus.MissingSetting> missingSettings() {
    return missing.values().stream()
        .sorted(java.util.Comparator.comparing(AgentStatus.MissingSetting::lastAt).reversed()).toList();
  }

  void sapCall(String backend, String operation, String outcome, long nanos) {
    timers.computeIfAbsent("sap|" + backend + "|" + operation + "|" + outcome, k -> Timer.builder("ferry.agent.sap.call")
        .description("One call to SAP (a BAPI sequence or an OData request), retries counted each")
        .tags("backend", backend, "operation", operation, "outcome", outcome)
        .serviceLevelObjectives(SAP_BUCKETS).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos((long) (values[i] * 1_000_000_000L));
    }
    return out;
  }

  @Override
  public void close() {
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }
}
