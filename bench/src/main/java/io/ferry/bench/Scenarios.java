package io.ferry.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Runs the scenarios the settings name, mode by mode, and collects the table's rows. */
final class Scenarios {

  static final String SYNC = "sync";
  static final String SUSTAINED = "sustained";
  static final String PICKUP = "pickup";
  static final String IDLE_AGENTS = "idle-agents";
  static final String AGENT = "agent";
  static final String TUNNEL = "tunnel";
  static final List<String> ALL = List.of(SYNC, SUSTAINED, PICKUP, IDLE_AGENTS, AGENT, TUNNEL);

  static final String PICKUP_IDLE = "pickup latency, 1 caller";
  static final String PICKUP_LOADED = "pickup latency, sustained load";

  private final Settings settings;
  private final PrintStream progress;
  private final List<Row> rows = new ArrayList<>();
  private final AtomicLong seq = new AtomicLong();

  Scenarios(Settings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  static String sync(int callers) {
    return "sync create, " + callers + (callers == 1 ? " caller" : " callers");
  }

  static String sustained(int callers) {
    return "sustained, " + callers + " callers";
  }

  List<Row> run() throws Exception {
    Map<String, Mode> modes = Modes.all();
    for (String key : settings.modes()) {
      Mode mode = modes.get(key);
      if (inProcessScenarios(mode).isEmpty()) {
        continue;
      }
      if (mode.unavailable().isPresent()) {
        progress.println("mode " + mode.label() + ": " + mode.unavailable().get());
        for (String scenario : inProcessScenarios(mode)) {
          rows.add(Row.unavailable(scenario, mode, mode.unavailable().get()));
        }
        continue;
      }
      runMode(mode);
    }
    // A scenario with processes of its own that fails leaves a row saying so; the run goes on.
    if (settings.scenarios().contains(IDLE_AGENTS)) {
      try {
        rows.addAll(new IdleAgents(settings, progress).run());
      } catch (Exception e) {
        progress.println(IdleAgents.SCENARIO + " failed: " + e);
        rows.add(new Row(IdleAgents.SCENARIO + " (" + settings.idleAgents() + ")", "relay-process",
            "(b) relay process, SQLite", null, null, null, null, null, null, null, "failed: " + e.getMessage()));
      }
    }
    if (settings.scenarios().contains(AGENT)) {
      try {
        rows.addAll(new AgentFootprint(settings, progress).run());
      } catch (Exception e) {
        progress.println("agent process scenarios failed: " + e);
        rows.add(new Row(AgentFootprint.IDLE, AgentFootprint.MODE, "(b) agent process, relay in-process", null, null,
            null, null, null, null, null, "failed: " + e.getMessage()));
      }
    }
    if (settings.scenarios().contains(TUNNEL)) {
      try {
        rows.addAll(new TunnelComparison(settings, progress).run());
      } catch (Exception e) {
        progress.println("tunnel comparison failed: " + e);
        rows.add(new Row(TunnelComparison.SCENARIO_1, TunnelComparison.FERRY, "tunnel comparison", null, null, null,
            null, null, null, null, "failed: " + e.getMessage()));
      }
    }
    return rows;
  }

  private List<String> inProcessScenarios(Mode mode) {
    List<String> names = new ArrayList<>();
    if (settings.scenarios().contains(SYNC)) {
      settings.concurrency().forEach(c -> names.add(sync(c)));
    }
    if (settings.scenarios().contains(PICKUP) && mode.relayed()) {
      names.add(PICKUP_IDLE);
    }
    if (settings.scenarios().contains(SUSTAINED)) {
      names.add(sustained(settings.sustainedCallers()));
      if (mode.relayed()) {
        names.add(PICKUP_LOADED);
      }
    }
    return names;
  }

  private void runMode(Mode mode) throws Exception {
    Path dir = Files.createDirectories(settings.workDir().resolve(mode.key()));
    progress.println("mode " + mode.label() + ": starting");
    Mode.Target opened;
    try {
      opened = mode.open(dir, settings);
    } catch (Backing.Unreachable e) {
      // The other modes still run; the table and the report carry the reason and its fix.
      progress.println("mode " + mode.label() + ": NOT RUN: " + e.getMessage());
      for (String scenario : inProcessScenarios(mode)) {
        rows.add(Row.unavailable(scenario, mode, "not run: " + e.getMessage()));
      }
      return;
    }
    try (Mode.Target target = opened) {
      Duration warmup = settings.warmup();
      if (mode.relayed()) {
        // A relayed mode's warm-up at the most callers the run will measure (at least 32): the JIT compiles what
        // the busy levels run, not only the one-caller path; each level then gets a short warm-up of its own. (The
        // floor warms at its first level: at 32 callers it would fill the simulator with millions of customers.)
        int busiest = Math.max(32, settings.concurrency().stream().mapToInt(Integer::intValue).max().orElse(32));
        Duration took = LoadRun.warmUntilSettled(target, Math.min(busiest, 64), warmup, seq, progress);
        progress.println("  warmed up for " + human(took) + " at " + Math.min(busiest, 64) + " callers");
        warmup = shortWarmup();
      }
      if (settings.scenarios().contains(SYNC)) {
        for (int callers : settings.concurrency()) {
          progress.println("  " + sync(callers) + " (" + human(settings.step()) + ")");
          LoadRun.Result r = LoadRun.run(target, callers, warmup, settings.step(), seq);
          rows.add(loadRow(sync(callers), mode, r));
          warmup = shortWarmup();
        }
      }
      if (settings.scenarios().contains(PICKUP) && target.pickup() != null) {
        progress.println("  " + PICKUP_IDLE + " (" + human(settings.step()) + ")");
        LoadRun.Result r = LoadRun.run(target, 1, warmup, settings.step(), seq);
        rows.add(pickupRow(PICKUP_IDLE, mode, r, target.pickup()));
        warmup = shortWarmup();
      }
      if (settings.scenarios().contains(SUSTAINED)) {
        String name = sustained(settings.sustainedCallers());
        progress.println("  " + name + " (" + human(settings.duration()) + ")");
        LoadRun.Result r = LoadRun.run(target, settings.sustainedCallers(), warmup, settings.duration(), seq);
        rows.add(loadRow(name, mode, r));
        if (target.pickup() != null) {
          rows.add(pickupRow(PICKUP_LOADED, mode, r, target.pickup()));
        }
      }
    }
  }

  private Duration shortWarmup() {
    Duration d = settings.warmup().dividedBy(5);
    return d.compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : d;
  }

  private static Row loadRow(String scenario, Mode mode, LoadRun.Result r) {
    String note = "CPU: load generator" + (mode.relayed() ? " + relay + agent" : "") + " in one JVM";
    Double perCall = r.processMicrosPerCall();
    double cores = r.cpuCores();
    if (perCall != null) {
      double wall = r.elapsed().toNanos();
      StringBuilder n = new StringBuilder("CPU: ");
      r.processCpuNanos().forEach((role, nanos) -> {
        n.append(role).append(' ').append(Targets.pct(nanos / wall)).append(", ");
      });
      n.append("load generator ").append(Targets.pct(r.cpuCores())).append(" (the CPU column is relay + agent); ")
          .append(String.format("relay + agent %.0f µs of CPU per create", perCall));
      note = n.toString();
      cores = r.processCpuNanos().values().stream().mapToLong(Long::longValue).sum() / wall;
    }
    if (r.errors() > 0) {
      note += "; " + r.errors() + " failed calls, first: " + r.firstError();
    }
    return new Row(scenario, mode.key(), mode.label(), r.throughput(), "creates/s", Row.Latency.of(r.latencyMicros()),
        cores, perCall == null ? r.heapUsed() : null, perCall == null && r.rss() >= 0 ? r.rss() : null, note, null);
  }

  private static Row pickupRow(String scenario, Mode mode, LoadRun.Result r, PickupProbe probe) {
    var h = probe.snapshot();
    double rate = r.elapsed().isZero() ? 0 : h.getTotalCount() / (r.elapsed().toNanos() / 1e9);
    return new Row(scenario, mode.key(), mode.label(), rate, "jobs/s", Row.Latency.of(h), r.cpuCores(),
        r.heapUsed(), r.rss() < 0 ? null : r.rss(), mode.key().equals(Modes.SQS)
            ? "queued (committed) → sent to the SQS jobs queue (SQS accepted it, lease extended), in the relay"
            : "queued (committed) → leased (claim committed), in the relay", null);
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }
}
