package io.ferry.bench;

import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.relay.Relay;
import io.ferry.relay.admin.RelayAdmin;
import io.ferry.relay.config.RelayConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A real agent process ({@code ferry agent run}) against a relay in this process, through a counting
 * proxy: start-up to the first poll reaching the relay, then its footprint idle and under load.
 */
final class AgentFootprint {

  static final String STARTUP = "agent start to first poll";
  static final String IDLE = "agent idle";
  static final String BUSY = "agent busy";
  static final String MODE = "agent-process";
  static final String LABEL = "(b) agent process, relay in-process";
  static final int BUSY_CALLERS = 8;
  /** install/bin/ferry's {@code agent_defaults} (AgentFootprintTest keeps the two the same). */
  static final String LAUNCHER_DEFAULTS = "-XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1";

  /**
   * install/bin/ferry's class data sharing for {@code agent run}, with the archive in the agent's data directory:
   * the first start writes it when it stops, the later ones map it (AgentFootprintTest keeps the two the same).
   */
  static final String LAUNCHER_CDS =
      "-XX:SharedArchiveFile=$data_dir/ferry-agent-$key.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off,cds+dynamic=off";

  private final Settings settings;
  private final PrintStream progress;

  AgentFootprint(Settings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  List<Row> run() throws Exception {
    Path dir = Files.createDirectories(settings.workDir().resolve("agent-process"));
    List<Row> rows = new ArrayList<>();
    try (Relay relay = Relay.start(RelayConfig.defaults(dir.resolve("relay")).withHost("127.0.0.1").withPort(0)
        .withRateLimit(0));
        CountingProxy proxy = CountingProxy.start(relay.baseUrl())) {
      RelayAdmin admin = relay.admin();
      String tenant = admin.createTenant("bench-agent");
      String apiKey = admin.createApiKey(tenant).key();
      Path agentDir = dir.resolve("agent");
      Agent.enroll(AgentConfig.defaults(proxy.url(), agentDir),
          admin.createEnrollmentToken(tenant, "default", Duration.ofHours(1)), "bench-agent-process");
      Path config = writeConfig(dir, agentDir);
      List<String> args = List.of("agent", "run", "--config", config.toString(), "--relay", proxy.url().toString(),
          "--workers", Integer.toString(settings.agentWorkers()));
      Map<String, String> env = Map.of(SapSettings.PASSWORD_ENV,
          Workload.SIMULATED_SAP.jco().get(SapSettings.PASSWORD_KEY));

      Histogram startup = new Histogram(3);
      FerryProcess agent = null;
      try {
        for (int i = 0; i < settings.startupRuns(); i++) {
          if (agent != null) {
            agent.close();
          }
          proxy.resetFirstPoll();
          progress.println(STARTUP + ": start " + (i + 1) + " of " + settings.startupRuns());
          long t0 = System.nanoTime();
          agent = FerryProcess.start(settings.launcher(), withClassDataSharing(agentJvmOptions(), agentDir), args, env,
              dir.resolve("agent-" + i + ".log"));
          long deadline = t0 + Duration.ofSeconds(60).toNanos();
          while (proxy.firstPollNanos() == 0 && System.nanoTime() < deadline && agent.isAlive()) {
            Thread.sleep(2); // the figure comes from the proxy's own timestamp, not from this loop
          }
          if (proxy.firstPollNanos() == 0) {
            throw new IOException("the agent process sent no poll within 60 s; its log:\n" + agent.tail());
          }
          startup.recordValue((proxy.firstPollNanos() - t0) / 1000);
        }
        rows.add(new Row(STARTUP, MODE, LABEL, null, null, Row.Latency.of(startup), null, null, null,
            settings.startupRuns() + " starts of `ferry agent run` (JVM start included), first poll seen at the relay; "
                + "the first start writes the class data sharing archive, the others map it",
            null));
        rows.add(idle(agent, proxy));
        rows.add(busy(agent, proxy, new EngineClient(relay.baseUrl(), apiKey, settings.runPrefix())));
      } finally {
        if (agent != null) {
          agent.close();
        }
      }
    }
    return rows;
  }

  private Row idle(FerryProcess agent, CountingProxy proxy) throws InterruptedException {
    // Past the first (unheld) poll and the start's own work.
    Thread.sleep(Duration.ofSeconds(5));
    progress.println(IDLE + ": observing for " + Scenarios.human(settings.idleWindow()));
    long cpu0 = Resources.cpuNanos(agent.pid()).orElse(-1);
    long req0 = proxy.requests();
    long pings0 = proxy.pings();
    long t0 = System.nanoTime();
    Thread.sleep(settings.idleWindow());
    long wall = System.nanoTime() - t0;
    long cpu1 = Resources.cpuNanos(agent.pid()).orElse(-1);
    double perMinute = (proxy.requests() - req0) / (wall / 60e9);
    double pingsPerMinute = (proxy.pings() - pings0) / (wall / 60e9);
    Long rss = Resources.rss(agent.pid()).stream().boxed().findFirst().orElse(null);
    Long heap = Resources.liveHeap(agent.pid()).stream().boxed().findFirst().orElse(null);
    return new Row(IDLE, MODE, LABEL, perMinute, "req/min", null, cpu0 < 0 || cpu1 < 0 ? null
        : (double) (cpu1 - cpu0) / wall, heap, rss,
        "requests at the relay's door (HTTP requests, and messages on the agent's stream; besides them "
            + Math.round(pingsPerMinute * 10) / 10.0 + " WebSocket pings a minute); CPU and memory of the agent "
            + "process, JVM options "
            + String.join(" ", agentJvmOptions()) + " and class data sharing", null);
  }

  private Row busy(FerryProcess agent, CountingProxy proxy, EngineClient engine) throws Exception {
    progress.println(BUSY + ": " + BUSY_CALLERS + " callers for " + Scenarios.human(settings.step()));
    AtomicLong seq = new AtomicLong();
    Mode.Target target = new Mode.Target() {
      @Override
      public void create(long s) throws Exception {
        engine.create(s);
      }

      @Override
      public void close() {
        engine.close();
      }
    };
    try (target) {
      LoadRun.run(target, BUSY_CALLERS, settings.warmup(), Duration.ZERO, seq);
      long cpu0 = Resources.cpuNanos(agent.pid()).orElse(-1);
      long req0 = proxy.requests();
      long t0 = System.nanoTime();
      LoadRun.Result r = LoadRun.run(target, BUSY_CALLERS, Duration.ZERO, settings.step(), seq);
      long wall = System.nanoTime() - t0;
      long cpu1 = Resources.cpuNanos(agent.pid()).orElse(-1);
      double perMinute = (proxy.requests() - req0) / (wall / 60e9);
      Long peak = Resources.peakRss(agent.pid()).stream().boxed().findFirst().orElse(null);
      String note = String.format("%.0f creates/s by %d callers, %.0f agent req/min; CPU of the agent process; "
          + "RSS = its peak (VmHWM) over the whole run", r.throughput(), BUSY_CALLERS, perMinute);
      if (r.errors() > 0) {
        note += "; " + r.errors() + " failed calls, first: " + r.firstError();
      }
      return new Row(BUSY + " (" + BUSY_CALLERS + " callers)", MODE, LABEL, r.throughput(), "creates/s",
          Row.Latency.of(r.latencyMicros()), cpu0 < 0 || cpu1 < 0 ? null : (double) (cpu1 - cpu0) / wall, null, peak,
          note, null);
    }
  }

  /**
   * The JVM options of the agent process: those install/bin/ferry gives {@code agent run} by default
   * ({@link #LAUNCHER_DEFAULTS}), or, to try others, {@code FERRY_BENCH_AGENT_JAVA_OPTS} instead — as
   * {@code FERRY_AGENT_JAVA_OPTS} replaces them for the launcher.
   */
  static List<String> agentJvmOptions() {
    String opts = System.getenv("FERRY_BENCH_AGENT_JAVA_OPTS");
    return List.of((opts == null || opts.isBlank() ? LAUNCHER_DEFAULTS : opts).strip().split("\\s+"));
  }

  /** {@code options} and, as the launcher adds them after the agent's defaults, its class data sharing options. */
  static List<String> withClassDataSharing(List<String> options, Path agentDir) {
    List<String> all = new ArrayList<>(options);
    all.addAll(List.of(LAUNCHER_CDS.replace("$data_dir", agentDir.toAbsolutePath().toString())
        .replace("$key", "bench").split(" ")));
    return all;
  }

  /** The agent's configuration file, as an operator writes it, on the simulated SAP. */
  static Path writeConfig(Path dir, Path agentDir) throws IOException {
    SapSettings sap = Workload.SIMULATED_SAP;
    StringBuilder s = new StringBuilder();
    s.append("agent.data-dir=").append(agentDir.toAbsolutePath()).append('\n');
    s.append("sap.backend=bapi\n");
    s.append("sap.destination=").append(sap.destination()).append('\n');
    sap.jco().forEach((k, v) -> {
      if (!k.equals(SapSettings.PASSWORD_KEY)) {
        s.append("sap.jco.").append(k).append('=').append(v).append('\n');
      }
    });
    sap.referenceCustomers().forEach((area, customer) ->
        s.append("sap.reference-customer.").append(area).append('=').append(customer).append('\n'));
    Path file = dir.resolve("agent.properties");
    Files.writeString(file, s.toString());
    return file;
  }
}
