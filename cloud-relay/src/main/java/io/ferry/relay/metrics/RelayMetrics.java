package io.ferry.relay.metrics;

import io.ferry.protocol.Action;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.JobTransitions;
import io.ferry.relay.store.StoreProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
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
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's metrics, in Prometheus' text format at {@code /metrics} (docs/observability.md lists them).
 *
 * <p>The hot path only counts and times in memory: job transitions arrive from the store right after
 * their commit ({@link JobTransitions}), HTTP requests from a Javalin after-handler. The gauges of queued
 * and leased jobs and of online agents come from two small grouped counts run on a timer
 * ({@link #REFRESH_EVERY}), never per request nor per scrape. Labels are bounded sets — action, state,
 * route template, method, status — and never carry a tenant, a key or a customer.
 */
public final class RelayMetrics implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RelayMetrics.class);
  /** How stale the queue and agent gauges may be; a scrape every 15-60 s sees at most this much lag. */
  public static final Duration REFRESH_EVERY = Duration.ofSeconds(10);

  private static final Duration[] QUEUE_WAIT_BUCKETS = seconds(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 600);
  private static final Duration[] END_TO_END_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 300, 600);
  private static final Duration[] HTTP_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** Listens to the JVM's GC notifications until closed: a closed registry must not stay reachable from them. */
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Clock clock;
  private final StoreProbe probe;
  private final Duration agentOfflineAfter;
  private final Map<Action, AtomicLong> queued = gaugeValues();
  private final Map<Action, AtomicLong> leased = gaugeValues();
  private final AtomicLong agentsOnline = new AtomicLong();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ferry-metrics");
    t.setDaemon(true);
    return t;
  });

  public RelayMetrics(Clock clock, StoreProbe probe, Duration agentOfflineAfter) {
    this.clock = clock;
    this.probe = probe;
    this.agentOfflineAfter = agentOfflineAfter;
    JvmMeters.promtoolClean(registry); // before any meter: a filter applies only to meters registered after it
    for (Action a : Action.values()) {
      Gauge.builder("ferry.relay.jobs.current", queued.get(a), AtomicLong::get)
          .description("Jobs now in a state, counted every " + REFRESH_EVERY.toSeconds() + " s")
          .tags("action", a.wireName(), "state", "queued").register(registry);
      Gauge.builder("ferry.relay.jobs.current", leased.get(a), AtomicLong::get)
          .tags("action", a.wireName(), "state", "leased").register(registry);
    }
    Gauge.builder("ferry.relay.queue.depth", queued, q -> q.values().stream().mapToLong(AtomicLong::get).sum())
        .description("Jobs waiting for an agent (all actions and tenants)").register(registry);
    Gauge.builder("ferry.relay.agents.online", agentsOnline, AtomicLong::get)
        .description("Enabled agents whose last call is within relay.agent-offline-after").register(registry);
    // Every series an alert watches exists from the start at 0: increase() over a series that appears with its
    // first event at 1 sees no increase, so the first expired or dead job after a restart would go unnoticed.
    for (Action a : Action.values()) {
      for (JobState s : JobState.values()) { // every state, a cancel included, so the ends add up to the jobs queued
        transitionCounter(a, s);
      }
      requeuedCounter(a);
    }
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmMeters.processCpuSeconds(registry);
  }

  /** Counts the gauges now and then every {@link #REFRESH_EVERY}. */
  public void start() {
    refresh();
    refresher.scheduleWithFixedDelay(this::refresh, REFRESH_EVERY.toMillis(), REFRESH_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Recounts queued and leased jobs and online agents; a failure keeps the last values and is logged. */
  public void refresh() {
    try {
      StoreProbe.Backlog backlog = probe.backlog();
      for (Action a : Action.values()) {
        queued.get(a).set(backlog.queued().getOrDefault(a, 0L));
        leased.get(a).set(backlog.leased().getOrDefault(a, 0L));
      }
      agentsOnline.set(probe.agentsSeenSince(clock.instant().minus(agentOfflineAfter)));
    } catch (RuntimeException e) {
      LOG.warn("FERRY-RELAY-0903 could not refresh the queue and agent gauges: {}", e.getMessage());
    }
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** What the store tells of each committed job state change. */
  public JobTransitions jobTransitions() {
    return new JobTransitions() {
      @Override
      public void queued(Job job) {
        transition(job.action(), JobState.QUEUED);
      }

      @Override
      public void leased(Job job, Instant now) {
        transition(job.action(), JobState.LEASED);
        if (job.attempt() == 1) {
          // Later attempts waited since their lease lapsed, which the store does not keep: only first waits count.
          timer("ferry.relay.job.queue.wait", "From accepted to first handed to an agent", QUEUE_WAIT_BUCKETS,
              "action", job.action().wireName()).record(nonNegative(job.createdAt(), now));
        }
      }

      @Override
      public void requeued(Job job) {
        requeuedCounter(job.action()).increment();
      }

      @Override
      public void ended(Action action, JobState state, Instant createdAt, Instant now) {
        transition(action, state);
        timer("ferry.relay.job.end.to.end", "From accepted to a final state", END_TO_END_BUCKETS,
            "action", action.wireName(), "state", lower(state)).record(nonNegative(createdAt, now));
      }
    };
  }

  /** One answered HTTP request; {@code route} is the route template (never the raw path). */
  public void httpRequest(String method, String route, int status, long nanos) {
    timer("http.server.requests", "HTTP requests the relay answered", HTTP_BUCKETS,
        "method", method, "uri", route, "status", Integer.toString(status)).record(nanos, TimeUnit.NANOSECONDS);
  }

  private void transition(Action action, JobState state) {
    transitionCounter(action, state).increment();
  }

  private Counter transitionCounter(Action action, JobState state) {
    return counter("ferry.relay.jobs.transitions", "Job state changes, by the state entered",
        "action", action.wireName(), "state", lower(state));
  }

  private Counter requeuedCounter(Action action) {
    return counter("ferry.relay.jobs.requeued", "Jobs put back in the queue because their lease lapsed",
        "action", action.wireName());
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(name + String.join("|", tags),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }

  private Timer timer(String name, String description, Duration[] buckets, String... tags) {
    return timers.computeIfAbsent(name + String.join("|", tags), k -> Timer.builder(name).description(description)
        .tags(tags).serviceLevelObjectives(buckets).register(registry));
  }

  private static Duration nonNegative(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static String lower(JobState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  private static Map<Action, AtomicLong> gaugeValues() {
    Map<Action, AtomicLong> m = new EnumMap<>(Action.class);
    for (Action a : Action.values()) {
      m.put(a, new AtomicLong());
    }
    return m;
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
    refresher.shutdownNow();
    gc.close();
    registry.close();
  }
}
