package io.ferry.bench;

import io.ferry.bench.Verdict.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The targets of the issue (on a 2-core machine, the simulator adding no latency), judged against the rows.
 * A target whose rows are missing (scenario not run, mode unavailable) is "not measured".
 */
final class Targets {

  /** Relay and agent processes with the simulator: 32 callers, zero errors. */
  static final double CREATES_PER_SECOND = 2000;
  static final double P50_ONE_CALLER_MS = 2;
  static final double P99_32_CALLERS_MS = 15;
  static final double POSTGRES_PICKUP_P50_MS = 2;
  static final double POSTGRES_CREATES_PER_SECOND = 1000;
  /** Two relays on one database within this share of one relay's throughput. */
  static final double TWO_RELAYS_WITHIN = 0.20;
  static final double SQS_PICKUP_P50_MS = 10;
  static final double SQS_CREATES_PER_SECOND = 500;
  static final int IDLE_AGENTS = 10_000;
  static final long RELAY_HEAP = 1L << 30;
  static final double IDLE_RELAY_CORES = 0.05;
  static final double IDLE_AGENT_REQ_PER_MIN = 2;
  /** "~0 CPU": under half a percent of one core. */
  static final double IDLE_AGENT_CORES = 0.005;
  static final long AGENT_RSS = 150L * 1024 * 1024;
  static final double STARTUP_MS = 1000;

  private Targets() {}

  static List<Verdict> judge(List<Row> rows) {
    List<Verdict> v = new ArrayList<>();
    tunnel(rows, v);
    String at1 = Scenarios.sync(1);
    String at32 = Scenarios.sync(32);
    find(rows, at32, Modes.PROCESSES).ifPresent(r -> {
      String t = "relay + agent processes: ≥ 2,000 creates/s at 32 callers, zero errors";
      if (!r.ran() || r.throughput() == null) {
        v.add(notMeasured(t, at32, r.mode(), r));
      } else {
        boolean errors = r.note() != null && r.note().contains("failed calls");
        v.add(compare(t, at32, r.mode(), fmt0(r.throughput()) + " creates/s" + (errors ? " with errors" : "")
            + ", " + cpuPerCreate(r), r.throughput() >= CREATES_PER_SECOND && !errors, "≥ 2,000/s",
            "CPU: relay, agent and load generator share two cores, so the rate is about 2 cores over the CPU per "
                + "create of all three; " + cpuPerCreate(r) + wireFloor(rows, at32, r)));
      }
    });
    latency(v, rows, at1, Modes.PROCESSES, "relay + agent processes: p50 ≤ 2 ms at 1 caller", true,
        P50_ONE_CALLER_MS, "a create crosses three HTTP exchanges (engine, poll answer, result), two fsynced "
            + "commits in the relay (the job leased on arrival, the result) and one in the agent (RUNNING)"
            + find(rows, at1, Modes.PROCESSES).map(r -> wireFloor(rows, at1, r)).orElse(""));
    latency(v, rows, at32, Modes.PROCESSES, "relay + agent processes: p99 ≤ 15 ms at 32 callers", false,
        P99_32_CALLERS_MS, "the queue for the CPU: at this rate both cores are busy"
            + find(rows, at32, Modes.PROCESSES).map(r -> wireFloor(rows, at32, r)).orElse(""));
    for (String scenario : List.of(Scenarios.PICKUP_IDLE)) {
      find(rows, scenario, Modes.POSTGRES).ifPresent(r -> pickup(v, r, POSTGRES_PICKUP_P50_MS,
          "PostgreSQL: pickup p50 ≤ 2 ms at 1 caller"));
      find(rows, scenario, Modes.POSTGRES_TWO_RELAYS).ifPresent(r -> pickup(v, r, POSTGRES_PICKUP_P50_MS,
          "PostgreSQL, two relays: pickup p50 ≤ 2 ms at 1 caller"));
      find(rows, scenario, Modes.SQS).ifPresent(r -> pickup(v, r, SQS_PICKUP_P50_MS,
          "SQS: pickup p50 ≤ 10 ms at 1 caller"));
    }
    rate(v, rows, at32, Modes.POSTGRES, POSTGRES_CREATES_PER_SECOND, "PostgreSQL: ≥ 1,000 creates/s at 32 callers, one relay");
    rate(v, rows, at32, Modes.SQS, SQS_CREATES_PER_SECOND, "SQS: ≥ 500 creates/s at 32 callers");
    Optional<Row> one = find(rows, at32, Modes.POSTGRES);
    find(rows, at32, Modes.POSTGRES_TWO_RELAYS).ifPresent(two -> {
      String t = "PostgreSQL: two relays within 20 % of one relay's rate at 32 callers";
      if (one.isEmpty() || !one.get().ran() || !two.ran() || one.get().throughput() == null
          || two.throughput() == null) {
        v.add(notMeasured(t, at32, two.mode(), two));
      } else {
        double ratio = two.throughput() / one.get().throughput();
        v.add(compare(t, at32, two.mode(), String.format("%.0f %% of one relay's", ratio * 100),
            ratio >= 1 - TWO_RELAYS_WITHIN, "≥ 80 %", "each job crosses from one relay to the other through "
                + "PostgreSQL's NOTIFY and a claim there, the result back the same way"));
      }
    });
    rows.stream().filter(r -> r.scenario().startsWith(IdleAgents.SCENARIO)).forEach(r -> {
      String t = "10,000 idle agents within a 1 GB heap using under 5 % of one core";
      if (!r.ran()) {
        v.add(notMeasured(t, r.scenario(), r.mode(), r));
        return;
      }
      boolean full = r.scenario().contains("(" + IDLE_AGENTS + ")");
      String figure = (r.cpuCores() == null ? "?" : pct(r.cpuCores())) + " of a core, live heap "
          + (r.heap() == null ? "?" : mb(r.heap())) + ", " + fmt0(r.throughput()) + " polls/min";
      boolean met = r.cpuCores() != null && r.cpuCores() < IDLE_RELAY_CORES && r.heap() != null
          && r.heap() <= RELAY_HEAP && !r.note().contains("DIED") && !r.note().contains("failed polls");
      if (!full) {
        v.add(new Verdict(t, r.scenario(), r.mode(), figure, Status.NOT_MEASURED,
            "run with fewer agents than 10,000 (--idle-agents); the target needs the full number"));
      } else {
        v.add(compare(t, r.scenario(), r.mode(), figure, met, "< 5 % of a core, ≤ 1 GB",
            "the connections themselves: on streams, 10,000 agents are "
                + 10_000 / io.ferry.agent.relay.RelayClient.STREAM_PING.toSeconds() + " pings a second (each read, "
                + "parsed and answered with a pong by Jetty) and "
                + 10_000 / io.ferry.agent.relay.RelayClient.STREAM_HOLD.toSeconds() + " polls a second (held "
                + Scenarios.human(io.ferry.agent.relay.RelayClient.STREAM_HOLD) + " as the agents ask), and a "
                + "last-seen row per agent every 45 s; in a profile of such a run about two fifths of the relay's "
                + "CPU is Jetty's frame handling and the kernel's socket work for the pings, the rest compilation in "
                + "a relay minutes old, garbage collection, idle-timeout checks and the batched writes "
                + "(docs/scaling.md)"));
      }
    });
    rows.stream().filter(r -> r.scenario().equals(AgentFootprint.IDLE)).forEach(r -> {
      String t = "an idle agent sends ≤ 2 requests per minute and uses ~0 CPU";
      if (!r.ran()) {
        v.add(notMeasured(t, r.scenario(), r.mode(), r));
        return;
      }
      boolean met = r.throughput() != null && r.throughput() <= IDLE_AGENT_REQ_PER_MIN + 0.2
          && r.cpuCores() != null && r.cpuCores() <= IDLE_AGENT_CORES;
      v.add(compare(t, r.scenario(), r.mode(), fmt(r.throughput()) + " req/min, " + pct(r.cpuCores()) + " of a core",
          met, "≤ 2 req/min, < 0.5 % of a core", "the agent polls with the relay's 30 s hold; "
              + "it also rewrites its status file every 5 s"));
    });
    rows.stream().filter(r -> r.mode().equals(AgentFootprint.MODE) && (r.scenario().equals(AgentFootprint.IDLE)
        || r.scenario().startsWith(AgentFootprint.BUSY))).forEach(r -> {
          String t = "agent RSS ≤ 150 MB";
          if (!r.ran() || r.rss() == null) {
            v.add(notMeasured(t, r.scenario(), r.mode(), r));
          } else {
            v.add(compare(t, r.scenario(), r.mode(), mb(r.rss()), r.rss() <= AGENT_RSS, "≤ 150 MB",
                "the JVM's heap, its JIT compilers' memory and thread stacks; the agent runs with the JVM options "
                    + "install/bin/ferry gives `agent run` (FERRY_AGENT_JAVA_OPTS, here FERRY_BENCH_AGENT_JAVA_OPTS, "
                    + "replaces them)"));
          }
        });
    rows.stream().filter(r -> r.scenario().equals(AgentFootprint.STARTUP)).forEach(r -> {
      String t = "agent start to first poll ≤ 1 s";
      double p50 = ms(r.latency().p50());
      v.add(compare(t, r.scenario(), r.mode(), "p50 " + fmt(p50) + " ms, max " + fmt(ms(r.latency().max())) + " ms",
          p50 <= STARTUP_MS, "≤ 1,000 ms", "JVM start and class loading (picocli, Jackson, OkHttp, JCo, logback), the agent's key and journal, "
              + "on a CPU shared with everything else running"));
    });
    return v;
  }

  /** Target 1: Ferry's added p50 over direct ≤ the tunnel's; Ferry's rate at 8 callers ≥ the tunnel's. */
  private static void tunnel(List<Row> rows, List<Verdict> v) {
    Optional<Row> direct = find(rows, TunnelComparison.SCENARIO_1, TunnelComparison.DIRECT);
    Optional<Row> ssh = find(rows, TunnelComparison.SCENARIO_1, TunnelComparison.TUNNEL);
    Optional<Row> ferry = find(rows, TunnelComparison.SCENARIO_1, TunnelComparison.FERRY);
    if (ferry.isEmpty()) {
      return;
    }
    String t1 = "OData: Ferry's added p50 over direct ≤ the ssh -R tunnel's, at 1 caller";
    if (!ran(direct) || !ran(ssh) || !ran(ferry)) {
      v.add(notMeasured(t1, TunnelComparison.SCENARIO_1, TunnelComparison.FERRY, firstUnran(direct, ssh, ferry)));
    } else {
      double ferryAdds = ms(ferry.get().latency().p50() - direct.get().latency().p50());
      double sshAdds = ms(ssh.get().latency().p50() - direct.get().latency().p50());
      v.add(compare(t1, TunnelComparison.SCENARIO_1, TunnelComparison.FERRY, "Ferry +" + fmt(ferryAdds) + " ms, ssh -R +"
          + fmt(sshAdds) + " ms", ferryAdds <= sshAdds, "≤ the tunnel's", "Ferry's path is an HTTP exchange more "
              + "than the tunnel's (engine → relay, relay → agent's held poll, agent → SAP, result → relay) and "
              + "two fsynced commits in the relay and one in the agent; the tunnel forwards bytes"));
    }
    Optional<Row> ssh8 = find(rows, TunnelComparison.SCENARIO_8, TunnelComparison.TUNNEL);
    Optional<Row> ferry8 = find(rows, TunnelComparison.SCENARIO_8, TunnelComparison.FERRY);
    String t8 = "OData: Ferry's rate ≥ the ssh -R tunnel's, at 8 callers";
    if (!ran(ssh8) || !ran(ferry8)) {
      v.add(notMeasured(t8, TunnelComparison.SCENARIO_8, TunnelComparison.FERRY, firstUnran(ssh8, ferry8)));
    } else {
      v.add(compare(t8, TunnelComparison.SCENARIO_8, TunnelComparison.FERRY, "Ferry " + fmt0(ferry8.get().throughput())
          + "/s, ssh -R " + fmt0(ssh8.get().throughput()) + "/s", ferry8.get().throughput() >= ssh8.get().throughput(),
          "≥ the tunnel's", "the CPU Ferry's relay and agent processes spend per create beside the OData server's"));
    }
  }

  private static boolean ran(Optional<Row> r) {
    return r.isPresent() && r.get().ran() && r.get().latency() != null;
  }

  private static Row firstUnran(Optional<Row>... rows) {
    for (Optional<Row> r : rows) {
      if (r.isPresent() && !r.get().ran()) {
        return r.get();
      }
    }
    return new Row("", "", "", null, null, null, null, null, null, null, "no figure in this run");
  }

  private static void latency(List<Verdict> v, List<Row> rows, String scenario, String mode, String t, boolean p50,
      double boundMs, String limit) {
    find(rows, scenario, mode).ifPresent(r -> {
      if (!r.ran() || r.latency() == null) {
        v.add(notMeasured(t, scenario, mode, r));
        return;
      }
      double value = ms(p50 ? r.latency().p50() : r.latency().p99());
      v.add(compare(t, scenario, mode, (p50 ? "p50 " : "p99 ") + fmt(value) + " ms", value <= boundMs,
          "≤ " + fmt(boundMs) + " ms", limit));
    });
  }

  private static void pickup(List<Verdict> v, Row r, double boundMs, String t) {
    if (!r.ran() || r.latency() == null) {
      v.add(notMeasured(t, r.scenario(), r.mode(), r));
      return;
    }
    double p50 = ms(r.latency().p50());
    v.add(compare(t, r.scenario(), r.mode(), "p50 " + fmt(p50) + " ms", p50 <= boundMs, "≤ " + fmt(boundMs) + " ms",
        pickupLimit(r.mode())));
  }

  private static void rate(List<Verdict> v, List<Row> rows, String scenario, String mode, double bound, String t) {
    find(rows, scenario, mode).ifPresent(r -> {
      if (!r.ran() || r.throughput() == null) {
        v.add(notMeasured(t, scenario, mode, r));
        return;
      }
      v.add(compare(t, scenario, mode, fmt0(r.throughput()) + " creates/s", r.throughput() >= bound,
          "≥ " + fmt0(bound) + "/s", "CPU: load generator, relay, agent" + (Modes.postgres(mode) ? " and PostgreSQL"
              : mode.equals(Modes.SQS) ? " and the SQS server" : "") + " in this one JVM and machine share two cores"));
    });
  }

  /**
   * What the wire floor did in the same scenario, when it ran: the same transport and commits without Ferry's
   * logic, so the difference is Ferry's own work, and the floor's figures what the machine allows.
   */
  private static String wireFloor(List<Row> rows, String scenario, Row ferry) {
    Optional<Row> wire = find(rows, scenario, Modes.WIRE).filter(w -> w.ran() && w.throughput() != null
        && w.latency() != null);
    if (wire.isEmpty()) {
      return "";
    }
    Row w = wire.get();
    String floor = "; the wire floor (the same HTTP, WebSocket and fsynced commits without Ferry's logic) did "
        + fmt0(w.throughput()) + " creates/s, p50 " + fmt(ms(w.latency().p50())) + " ms, p99 "
        + fmt(ms(w.latency().p99())) + " ms, " + cpuPerCreate(w);
    OptionalDouble ours = microsPerCreate(ferry);
    OptionalDouble floorMicros = microsPerCreate(w);
    if (ours.isPresent() && floorMicros.isPresent()) {
      floor += String.format(": Ferry's own work is %.0f µs per create", ours.getAsDouble() - floorMicros.getAsDouble());
    }
    return floor;
  }

  private static OptionalDouble microsPerCreate(Row r) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("relay \\+ agent (\\d+) µs")
        .matcher(r.note() == null ? "" : r.note());
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
  }

  private static String cpuPerCreate(Row r) {
    OptionalDouble micros = microsPerCreate(r);
    return micros.isPresent() ? String.format("relay + agent %.0f µs of CPU per create", micros.getAsDouble())
        : "CPU per create not measured";
  }

  private static String pickupLimit(String mode) {
    if (Modes.postgres(mode)) {
      return "a pickup is a NOTIFY delivered at the insert's commit, a wake-up of the relay's listening and dispatch "
          + "threads and a claim transaction (SELECT … FOR UPDATE SKIP LOCKED, committed)"
          + (mode.equals(Modes.POSTGRES_TWO_RELAYS) ? ", the notification crossing from relay A to relay B" : "")
          + "; under load the claim waits for one of the 10 pooled connections";
    }
    if (mode.equals(Modes.SQS)) {
      return "a pickup is a wake-up of a dispatch thread, a claim transaction, an HTTP send to the jobs queue "
          + "(ElasticMQ on loopback here, a round trip to AWS in production) and a second transaction extending the lease";
    }
    return "a pickup is a wake-up of a dispatch thread, a read and an fsynced claim transaction; under load the "
        + "claim queues behind inserts and results for the one SQLite writer";
  }

  private static Verdict compare(String target, String scenario, String mode, String figure, boolean met,
      String bound, String limit) {
    return new Verdict(target, scenario, mode, figure, met ? Status.MET : Status.NOT_MET,
        met ? figure + " " + bound : figure + ", target " + bound + "; limited by " + limit);
  }

  private static Verdict notMeasured(String target, String scenario, String mode, Row row) {
    return new Verdict(target, scenario, mode, "—", Status.NOT_MEASURED,
        row.unavailable() != null ? row.unavailable() : "no figure in this run");
  }

  private static Optional<Row> find(List<Row> rows, String scenario, String mode) {
    return rows.stream().filter(r -> r.scenario().equals(scenario) && r.mode().equals(mode)).findFirst();
  }

  static double ms(long micros) {
    return micros / 1000.0;
  }

  static String fmt(Double d) {
    return d == null ? "—" : d >= 100 ? String.format("%.0f", d) : d >= 10 ? String.format("%.1f", d)
        : String.format("%.2f", d);
  }

  static String fmt0(Double d) {
    return d == null ? "—" : String.format("%,.0f", d);
  }

  static String pct(Double cores) {
    return cores == null ? "—" : String.format("%.1f %%", cores * 100);
  }

  static String mb(Long bytes) {
    return bytes == null ? "—" : String.format("%.0f MB", bytes / 1048576.0);
  }
}
