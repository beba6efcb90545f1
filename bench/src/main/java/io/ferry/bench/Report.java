package io.ferry.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The table on the terminal, and docs/BENCHMARKS.md. */
final class Report {

  private static final List<String> HEADER = List.of("scenario", "mode", "throughput", "p50 ms", "p90 ms", "p99 ms",
      "max ms", "CPU", "heap", "RSS", "vs (a)", "target");

  private final List<Row> rows;
  private final List<Verdict> verdicts;
  private final Settings settings;
  private final String command;
  private final Instant at;
  private final double loadAtStart;

  Report(List<Row> rows, List<Verdict> verdicts, Settings settings, String command, Instant at, double loadAtStart) {
    this.at = at.truncatedTo(ChronoUnit.SECONDS);
    this.loadAtStart = loadAtStart;
    this.rows = rows;
    this.verdicts = verdicts;
    this.settings = settings;
    this.command = command;
  }

  private List<List<String>> cells() {
    List<List<String>> table = new ArrayList<>();
    for (Row r : rows) {
      List<String> c = new ArrayList<>();
      c.add(r.scenario());
      c.add(r.label());
      if (!r.ran()) {
        c.add(r.unavailable());
        for (int i = 3; i < HEADER.size(); i++) {
          c.add("");
        }
        table.add(c);
        continue;
      }
      c.add(r.throughput() == null ? "" : Targets.fmt0(r.throughput()) + " " + r.unit());
      Row.Latency l = r.latency();
      c.add(l == null ? "" : Targets.fmt(Targets.ms(l.p50())));
      c.add(l == null ? "" : Targets.fmt(Targets.ms(l.p90())));
      c.add(l == null ? "" : Targets.fmt(Targets.ms(l.p99())));
      c.add(l == null ? "" : Targets.fmt(Targets.ms(l.max())));
      c.add(r.cpuCores() == null ? "" : Targets.pct(r.cpuCores()));
      c.add(r.heap() == null ? "" : Targets.mb(r.heap()));
      c.add(r.rss() == null ? "" : Targets.mb(r.rss()));
      c.add(ratio(r));
      c.add(verdicts.stream().filter(v -> v.scenario().equals(r.scenario()) && v.mode().equals(r.mode()))
          .map(v -> v.figure() + ": " + v.status().text).collect(Collectors.joining("; ")));
      table.add(c);
    }
    return table;
  }

  /** Throughput and latency of a relayed row over the floor's row of the same scenario. */
  private String ratio(Row r) {
    if (r.mode().equals(Modes.FLOOR) || r.latency() == null) {
      return "";
    }
    Optional<Row> floor = rows.stream().filter(f -> f.mode().equals(Modes.FLOOR) && f.scenario().equals(r.scenario())
        && f.ran() && f.latency() != null).findFirst();
    if (floor.isEmpty()) {
      return "";
    }
    Row f = floor.get();
    return String.format("thr ×%.2f, p50 ×%.1f, p99 ×%.1f", r.throughput() / f.throughput(),
        (double) r.latency().p50() / Math.max(1, f.latency().p50()),
        (double) r.latency().p99() / Math.max(1, f.latency().p99()));
  }

  void print(PrintStream out) {
    List<List<String>> table = new ArrayList<>();
    table.add(HEADER);
    table.addAll(cells());
    int[] width = new int[HEADER.size()];
    for (List<String> row : table) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    out.println();
    if (settings.shortRun()) {
      out.println("SHORT RUN: figures from short windows, not the reference figures.");
    }
    busyMachine().ifPresent(out::println);
    for (int r = 0; r < table.size(); r++) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < width.length; i++) {
        String cell = table.get(r).get(i);
        line.append(i == 0 ? "" : "  ").append(cell).append(" ".repeat(width[i] - cell.length()));
      }
      out.println(line.toString().stripTrailing());
      if (r == 0) {
        out.println("-".repeat(line.toString().stripTrailing().length()));
      }
    }
    out.println();
    out.println("Notes:");
    rows.stream().filter(r -> r.ran() && r.note() != null)
        .forEach(r -> out.println("  " + r.scenario() + ", " + r.label() + ": " + r.note()));
    out.println();
    out.println("Targets:");
    for (Verdict v : verdicts) {
      out.println("  [" + v.status().text + "] " + v.target() + " — " + v.scenario() + ", " + v.mode() + ": "
          + v.reason());
    }
  }

  void writeDocs(Path file) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append("Written by the benchmark tool (`bench/`, see [bench/README.md](../bench/README.md)); do not edit by hand: "
        + "run it again.\n\n");
    if (settings.shortRun()) {
      md.append("> **Short run.** These figures come from short measuring windows on a shared, busy development "
          + "machine: they show that every scenario runs and roughly where Ferry stands, not the reference "
          + "figures. The reference run is the same command without `--short`, on a quiet machine.\n\n");
    }
    busyMachine().ifPresent(warning -> md.append("> **").append(warning).append("**\n\n"));
    md.append("| | |\n|---|---|\n");
    md.append("| date | ").append(at).append(" |\n");
    md.append("| machine | ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(memory()).append(" memory, ").append(System.getProperty("os.name")).append(' ')
        .append(System.getProperty("os.version")).append(" (").append(System.getProperty("os.arch")).append(") |\n");
    md.append("| load average at the start | ").append(String.format("%.2f", loadAtStart)).append(" |\n");
    md.append("| JDK | ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(" |\n");
    md.append("| commit | ").append(Machine.gitCommit()).append(" |\n");
    md.append("| settings | ").append(describe()).append(" |\n\n");
    md.append("## Results\n\n");
    md.append("Latencies in milliseconds (HdrHistogram, every call recorded). CPU is CPU time over wall time, "
        + "100 % = one core busy. \"vs (a)\" is throughput and latency over the floor's for the same scenario.\n\n");
    md.append('|').append(String.join("|", HEADER)).append("|\n|");
    md.append("---|".repeat(HEADER.size())).append('\n');
    for (List<String> c : cells()) {
      md.append('|').append(c.stream().map(s -> s.replace("|", "\\|")).collect(Collectors.joining("|"))).append("|\n");
    }
    md.append("\nNotes per row:\n\n");
    for (Row r : rows) {
      if (r.ran() && r.note() != null) {
        md.append("- ").append(r.scenario()).append(", ").append(r.label()).append(": ").append(r.note()).append('\n');
      }
    }
    md.append("\n## Targets\n\nThe issue's targets, for a 2-core machine with the simulator adding no latency.\n\n");
    md.append("| target | scenario | mode | figure | verdict | reason |\n|---|---|---|---|---|---|\n");
    for (Verdict v : verdicts) {
      md.append("| ").append(v.target()).append(" | ").append(v.scenario()).append(" | ").append(v.mode())
          .append(" | ").append(v.figure()).append(" | **").append(v.status().text).append("** | ")
          .append(v.reason()).append(" |\n");
    }
    md.append("\n## How to reproduce\n\n```sh\n./mvnw -q -DskipTests package\n").append(command).append("\n```\n\n");
    md.append("Modes: (a) `floor` — the agent's SAP backend called straight on the simulated SAP in the bench's "
        + "JVM; (b) `sqlite` — an engine's HTTP calls to a relay on loopback, an agent polling it over HTTP, both "
        + "in the bench's JVM, the relay's embedded SQLite store; `processes` — (b) with relay and agent as the "
        + "processes `ferry relay serve` and `ferry agent run`; (w) `wire` — the wire floor: two processes that carry "
        + "and commit a create as `processes` does (loopback HTTP, a WebSocket, fsynced SQLite commits on both sides) "
        + "with none of Ferry's logic, so its CPU per create is what the machine and the stack take; (c) `postgres` — as (b) with the PostgreSQL store, "
        + "in a database the run creates on " + settings.postgres().host() + " and drops at the end; `postgres-2` — "
        + "two relays on that one database, the engine calling relay A while the agent polls relay B; (d) `sqs` — "
        + "SQS dispatch (ElasticMQ), once the relay has that setting. The idle-agents scenario runs a real `ferry relay serve` process; the agent "
        + "scenarios a real `ferry agent run` process.\n");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, md.toString());
  }

  /** A warning when the machine was busy at the start: every figure is then distorted by what else ran. */
  private Optional<String> busyMachine() {
    int cores = Runtime.getRuntime().availableProcessors();
    if (loadAtStart > cores) {
      return Optional.of(String.format("BUSY MACHINE: load average %.1f on %d cores when the run started; "
          + "the figures are distorted by whatever else was running.", loadAtStart, cores));
    }
    return Optional.empty();
  }

  private String describe() {
    return "modes " + String.join(",", settings.modes()) + "; scenarios " + String.join(",", settings.scenarios())
        + "; callers " + settings.concurrency().stream().map(String::valueOf).collect(Collectors.joining(","))
        + "; step " + Scenarios.human(settings.step()) + "; warm-up " + Scenarios.human(settings.warmup())
        + " and on until the JIT settles (under " + Math.round(LoadRun.SETTLED_SHARE * 100) + " % of "
        + Scenarios.human(LoadRun.SETTLE_WINDOW) + " compiling, at most " + Scenarios.human(LoadRun.LONGEST_SETTLING)
        + " more)"
        + "; sustained " + Scenarios.human(settings.duration()) + " at " + settings.sustainedCallers() + " callers"
        + "; agent.workers " + settings.agentWorkers() + "; idle agents " + settings.idleAgents()
        + " observed " + Scenarios.human(settings.idleWindow()) + "; agent starts " + settings.startupRuns();
  }

  private static String memory() {
    long bytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize();
    return String.format("%.1f GB", bytes / (1024.0 * 1024 * 1024));
  }
}
