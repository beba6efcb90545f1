package io.ferry.cli.command;

import io.ferry.agent.sap.resilience.BreakerState;
import io.ferry.agent.sap.resilience.BreakerStatus;
import io.ferry.agent.status.AgentStatus;
import io.ferry.agent.status.StatusFile;
import io.ferry.cli.settings.Settings;
import io.ferry.protocol.Protocol;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the state of the agent running with this data directory: the circuit breaker to SAP, jobs in "
        + "flight, the last poll that reached the relay, results waiting to be sent, its version.",
        "Reads the status file the running agent rewrites every few seconds (the agent opens no port).",
        "Exit code 0 when the agent runs, 1 when it does not (no status file, or one not rewritten for 30 s)."})
final class AgentStatusCommand implements Callable<Integer> {

  enum Output { table, json }

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with agent.* settings (for agent.data-dir).")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The agent's data directory (agent.data-dir). Default: ~/.ferry/agent.")
  Path dataDir;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table (default) or json.")
  Output output;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    Logging.quiet();
    Path dir = AgentSetup.dataDir(Settings.load(config, Roles.AGENT), dataDir);
    Optional<AgentStatus> status = StatusFile.read(dir);
    Instant now = clock.instant();
    boolean running = status.isPresent() && !StatusFile.isStale(status.get(), now);
    PrintWriter out = spec.commandLine().getOut();
    if (output == Output.json) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("running", running);
      json.put("dataDir", dir.toAbsolutePath().toString());
      status.ifPresent(s -> json.put("status", s));
      out.println(Protocol.json().writerWithDefaultPrettyPrinter().writeValueAsString(json));
    } else if (!running) {
      out.println("Ferry agent: not running (data directory " + dir.toAbsolutePath() + ": "
          + status.map(s -> "status last written " + ago(s.writtenAt(), now)).orElse("no status file") + ")");
    } else {
      table(out, status.get(), now);
    }
    out.flush();
    return running ? ExitCode.OK : ExitCode.FAILED;
  }

  private static void table(PrintWriter out, AgentStatus s, Instant now) {
    out.println("Ferry agent: running (pid " + s.pid() + ", version " + s.version() + ", status written "
        + ago(s.writtenAt(), now) + ")");
    out.println("last successful poll:   " + (s.lastSuccessfulPoll() == null ? "none yet" : s.lastSuccessfulPoll() + " ("
        + ago(s.lastSuccessfulPoll(), now) + ")"));
    out.println("jobs in flight:         " + s.inFlight());
    out.println("results to send:        " + s.outboxPending());
    out.println();
    out.printf("%-12s %-10s %-9s %s%n", "SAP BACKEND", "BREAKER", "FAILURES", "NEXT TRY");
    for (BreakerStatus b : s.breakers()) {
      String next = b.state() == BreakerState.OPEN && b.openUntil() != null
          ? "in " + Math.max(0, Duration.between(now, b.openUntil()).toSeconds()) + " s" : "-";
      out.printf("%-12s %-10s %-9d %s%n", b.backend(), b.state(), b.consecutiveFailures(), next);
    }
    if (!s.missingSettings().isEmpty()) {
      // Jobs answered sap-configuration: engines do not retry them, so an operator has to act.
      out.println();
      out.printf("%-40s %-6s %s%n", "MISSING SETTING", "JOBS", "LAST");
      for (AgentStatus.MissingSetting m : s.missingSettings()) {
        out.printf("%-40s %-6d %s%n", m.setting(), m.jobs(), ago(m.lastAt(), now));
      }
      out.println("add these to the agent's configuration (then restart it); until then such requests fail with sap-configuration");
    }
  }

  private static String ago(Instant then, Instant now) {
    if (then == null) {
      return "never";
    }
    return Math.max(0, Duration.between(then, now).toSeconds()) + " s ago";
  }
}
