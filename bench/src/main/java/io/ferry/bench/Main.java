package io.ferry.bench;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry-bench}: runs the scenarios, prints the table, optionally writes docs/BENCHMARKS.md. */
@Command(name = "ferry-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measures what Ferry's relay costs on top of SAP: the same workload (customer creates) straight on "
        + "the simulated SAP (a), through relay and agent with the SQLite store (b), the PostgreSQL store (c; also "
        + "two relays on one database) and SQS dispatch (d), beside the wire floor (w: their transport and commits "
        + "without Ferry's logic); idle agents on one relay; a real agent process's footprint and start-up.",
        "Prints one table with throughput, latency p50/p90/p99/max, CPU, memory, the ratios to (a) and each target "
            + "met or not."})
public final class Main implements Callable<Integer> {

  @Option(names = "--modes", split = ",", paramLabel = "MODE",
      description = "Modes to run: floor, sqlite, processes (relay and agent as processes), wire (the wire floor: their transport and commits without Ferry's logic), postgres, postgres-2 (two relays on one database), sqs. Default: all (the ones this build cannot run say so).")
  List<String> modes = Modes.keys();

  @Option(names = "--scenarios", split = ",", paramLabel = "NAME",
      description = "Scenarios: sync, sustained, pickup, idle-agents, agent, tunnel. Default: all.")
  List<String> scenarios = Scenarios.ALL;

  @Option(names = "--concurrency", split = ",", paramLabel = "N",
      description = "Concurrent callers of the sync-create scenario. Default: 1,8,32,128.")
  List<Integer> concurrency = List.of(1, 8, 32, 128);

  @Option(names = "--step", paramLabel = "DURATION", description = "Measured time per sync-create level and of the pickup and busy-agent runs. Default: 20s.")
  String step = "20s";

  @Option(names = "--warmup", paramLabel = "DURATION", description = "Unmeasured warm-up per mode, at least; a relayed mode's at the most callers measured (at least 32, at most 64), going on in 5 s steps (at most 2 min more) while the JIT compilers of the bench, relay or agent still compile. Default: 20s.")
  String warmup = "20s";

  @Option(names = "--duration", paramLabel = "DURATION", description = "Measured time of the sustained-throughput scenario. Default: 60s.")
  String duration = "60s";

  @Option(names = "--sustained-callers", paramLabel = "N", description = "Concurrent callers of the sustained scenario. Default: 64.")
  int sustainedCallers = 64;

  @Option(names = "--agent-workers", paramLabel = "N", description = "agent.workers of every agent the bench runs. Default: 32.")
  int agentWorkers = 32;

  @Option(names = "--idle-agents", paramLabel = "N", description = "Agents long-polling one relay. Default: 10000 (500 with --short).")
  Integer idleAgents;

  @Option(names = "--idle-transport", paramLabel = "stream|poll", description = "How the idle agents poll: stream (each on its WebSocket, as agents do by default) or poll (HTTP long polls, agent.transport=poll). Default: stream.")
  String idleTransport = "stream";

  @Option(names = "--idle-window", paramLabel = "DURATION", description = "How long idle relay and idle agent are observed; at least two poll holds (30 s) for requests per minute. Default: 120s.")
  String idleWindow = "120s";

  @Option(names = "--startup-runs", paramLabel = "N", description = "Agent process starts timed to their first poll. Default: 5.")
  int startupRuns = 5;

  @Option(names = "--pg-host", paramLabel = "HOST:PORT", description = "PostgreSQL server of the postgres modes; each run "
      + "creates its own database there and drops it at the end. Password, if any: FERRY_BENCH_PG_PASSWORD. Default: 127.0.0.1:5432.")
  String pgHost = "127.0.0.1:5432";

  @Option(names = "--pg-user", paramLabel = "USER", description = "PostgreSQL user allowed to create databases. Default: postgres.")
  String pgUser = "postgres";

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where relays, agents and their logs live. Default: a new temporary directory.")
  Path workDir;

  @Option(names = "--short", description = "A short development run: 1,8,32,128 callers for 3 s each, 15 s sustained, 500 idle agents (unless --idle-agents says otherwise) observed 60 s, 2 agent starts. Figures are labelled as such.")
  boolean shortRun;

  @Option(names = "--write-docs", paramLabel = "FILE", description = "Also write the report as Markdown, e.g. docs/BENCHMARKS.md.")
  Path writeDocs;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;
  private String[] args = new String[0];

  Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    configureLogging();
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the tool as {@code main} does, minus the exit: what the smoke test calls. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Main main = new Main(out, err);
    main.args = args.clone();
    return new CommandLine(main).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
  }

  @Override
  public Integer call() throws Exception {
    for (String m : modes) {
      if (!Modes.all().containsKey(m)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--modes: unknown mode '" + m
            + "'; known: " + String.join(", ", Modes.keys()));
      }
    }
    for (String s : scenarios) {
      if (!Scenarios.ALL.contains(s)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--scenarios: unknown scenario '" + s
            + "'; known: " + String.join(", ", Scenarios.ALL));
      }
    }
    Settings settings = settings();
    Files.createDirectories(settings.workDir());
    err.println("ferry-bench: working in " + settings.workDir() + " (logs: " + settings.workDir().resolve("bench.log")
        + ")");
    System.setProperty("ferry.bench.log", settings.workDir().resolve("bench.log").toString());
    configureLogging();
    java.time.Instant started = java.time.Instant.now();
    double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    List<Row> rows = new Scenarios(settings, err).run();
    List<Verdict> verdicts = Targets.judge(rows);
    Report report = new Report(rows, verdicts, settings, commandLine(), started, load);
    report.print(out);
    if (writeDocs != null) {
      report.writeDocs(writeDocs);
      err.println("ferry-bench: wrote " + writeDocs);
    }
    return 0;
  }

  private Settings settings() throws java.io.IOException {
    Path dir = workDir != null ? workDir : Files.createTempDirectory("ferry-bench-");
    if (shortRun) {
      return new Settings(modes, scenarios, concurrency, Duration.ofSeconds(3), Duration.ofSeconds(3),
          Duration.ofSeconds(15), sustainedCallers, agentWorkers, idleAgents == null ? 500 : idleAgents, Duration.ofSeconds(60),
          2, dir, FerryProcess.Launcher.current(), true, postgres(), idleOnStreams());
    }
    return new Settings(modes, scenarios, concurrency, parse(step), parse(warmup), parse(duration), sustainedCallers,
        agentWorkers, idleAgents == null ? 10_000 : idleAgents, parse(idleWindow), startupRuns, dir, FerryProcess.Launcher.current(), false,
        postgres(), idleOnStreams());
  }

  private boolean idleOnStreams() {
    return switch (idleTransport) {
      case "stream" -> true;
      case "poll" -> false;
      default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--idle-transport must be stream or poll, was '" + idleTransport + "'");
    };
  }

  private Settings.Postgres postgres() {
    String password = System.getenv(BenchDatabase.PASSWORD_ENV);
    return new Settings.Postgres(pgHost, pgUser, password == null || password.isEmpty() ? null : password);
  }

  private String commandLine() {
    List<String> shown = new ArrayList<>();
    shown.add("bench/ferry-bench");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--work-dir")) {
        i++; // a temporary directory of this run only
        continue;
      }
      shown.add(args[i]);
    }
    return String.join(" ", shown);
  }

  private static Duration parse(String text) {
    String t = text.strip().toLowerCase();
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    if (t.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }

  /**
   * The bench's own logging: relay and agent log at INFO as in production, into the run's bench.log instead of
   * the terminal, which shows the table. The ferry jars' logback.xml (console) stays in place for the real
   * processes the bench starts.
   */
  private static void configureLogging() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(Main.class.getResource("/ferry-bench-logback.xml"));
    } catch (JoranException e) {
      throw new IllegalStateException("the bench's logging configuration is broken", e);
    }
  }
}
