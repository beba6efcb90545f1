package io.ferry.bench;

import io.ferry.bench.Verdict.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The targets of the issue (on a 2-core machine, the simulator adding no latency), judged against the rows.
 * A target whose rows are missing (scenario not run, mode unavailable) is "not measured".
 */
final class Targets {

  static final double OVERHEAD_P50_MS = 2;
  static final double OVERHEAD_P99_MS = 15;
  static final double CREATES_PER_SECOND = 2000;
  static final double PICKUP_P50_MS = 1;
  static final int IDLE_AGENTS = 10_000;
  static final long RELAY_HEAP = 1L << 30;
  static final double IDLE_RELAY_CORES = 0.05;
  static final double IDLE_AGENT_REQ_PER_MIN = 2;
  /** "~0 CPU": under half a percent of one core. */
  static final double IDLE_AGENT_CORES = 0.005;
  static final long AGENT_RSS = 150L * 1024 * 1024;
  static final double STARTUP_MS = 1500;

  private Targets() {}

  static List<Verdict> judge(List<Row> rows) {
    List<Verdict> v = new ArrayList<>();
    String at32 = Scenarios.sync(32);
    Optional<Row> floor32 = find(rows, at32, Modes.FLOOR);
    for (String mode : List.of(Modes.SQLITE, Modes.POSTGRES, Modes.POSTGRES_TWO_RELAYS, Modes.SQS)) {
      Optional<Row> relayed = find(rows, at32, mode);
      if (relayed.isEmpty() || (!relayed.get().ran() && !mode.equals(Modes.SQLITE))) {
        continue;
      }
      String t50 = "relay overhead (b − a) p50 ≤ 2 ms at 32 callers";
      String t99 = "relay overhead (b − a) p99 ≤ 15 ms at 32 callers";
      if (floor32.isEmpty() || !relayed.get().ran() || floor32.get().latency() == null
          || relayed.get().latency() == null) {
        v.add(notMeasured(t50, at32, mode, relayed.get()));
        v.add(notMeasured(t99, at32, mode, relayed.get()));
        continue;
      }
      double d50 = ms(relayed.get().latency().p50() - floor32.get().latency().p50());
      double d99 = ms(relayed.get().latency().p99() - floor32.get().latency().p99());
      v.add(compare(t50, at32, mode, "+" + fmt(d50) + " ms", d50 <= OVERHEAD_P50_MS, "≤ 2 ms",
          "per create: three relay commits (insert, claim, result; " + commits(mode) + "), the agent's journal "
              + "commits (running, result, delivered; fsynced, concurrent ones grouped), three HTTP exchanges and about ten thread hand-overs "
              + "(Jetty, dispatch, poll loop, worker, journal sender) — each a scheduler wake-up, milliseconds on a "
              + "busy CPU" + (mode.equals(Modes.POSTGRES_TWO_RELAYS) ? "; with two relays each job also waits for "
              + "PostgreSQL's NOTIFY from one relay to the other" : "")));
      v.add(compare(t99, at32, mode, "+" + fmt(d99) + " ms", d99 <= OVERHEAD_P99_MS, "≤ 15 ms",
          "the tail follows " + (Modes.postgres(mode) ? "the queue for the relay's 10 pooled connections" 
              : "the one SQLite writer's queue") + " and the disk's fsync time, and garbage-collection "
              + "pauses of the JVM that holds load generator, relay and agent"));
    }
    rows.stream().filter(r -> r.scenario().startsWith("sustained") && !r.mode().equals(Modes.FLOOR)).forEach(r -> {
      String t = "≥ 2,000 creates/s sustained through one relay and one agent";
      if (!r.ran()) {
        v.add(notMeasured(t, r.scenario(), r.mode(), r));
      } else {
        v.add(compare(t, r.scenario(), r.mode(), fmt0(r.throughput()) + " creates/s",
            r.throughput() >= CREATES_PER_SECOND, "≥ 2,000/s",
            "the disk's commits per second (three relay commits per create, " + commits(r.mode()) + "; three "
                + "agent journal commits per job, grouped when concurrent) and CPU: load generator, relay, agent"
                + (Modes.postgres(r.mode()) ? " and PostgreSQL" : "") + " share the machine's cores; in JFR of the "
                + "SQLite run the relay's ECDSA signature of each job and the agent's check of it take about a fifth "
                + "of the CPU (the agents' own per-request signatures, as much again, were replaced by sessions)"));
      }
    });
    for (String scenario : List.of(Scenarios.PICKUP_IDLE, Scenarios.PICKUP_LOADED)) {
      rows.stream().filter(r -> r.scenario().equals(scenario)).forEach(r -> {
        String t = "pickup (queued → leased) p50 ≤ 1 ms";
        if (!r.ran() || r.latency() == null) {
          v.add(notMeasured(t, scenario, r.mode(), r));
        } else {
          double p50 = ms(r.latency().p50());
          v.add(compare(t, scenario, r.mode(), "p50 " + fmt(p50) + " ms", p50 <= PICKUP_P50_MS, "≤ 1 ms",
              pickupLimit(r.mode())));
        }
      });
    }
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
            "the HTTP exchange itself: 10,000 agents with a 30 s hold are 333 polls a second, each parsed, "
                + "parked and answered by Jetty on one of 10,000 open connections. In JFR of such a run the Java code "
                + "of the relay (Jetty, the session's HMAC check, the agent's row read, the batched last-seen "
                + "writes) is about a tenth of the process's CPU; the rest is the kernel's socket work, garbage "
                + "collection and compilation. ECDSA checks per poll, the largest part before agent sessions, are "
                + "gone: a session is opened once an hour per agent"));
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
      String t = "start to first poll ≤ 1.5 s";
      double p50 = ms(r.latency().p50());
      v.add(compare(t, r.scenario(), r.mode(), "p50 " + fmt(p50) + " ms, max " + fmt(ms(r.latency().max())) + " ms",
          p50 <= STARTUP_MS, "≤ 1,500 ms", "JVM start and class loading (picocli, Jackson, OkHttp, JCo, logback), the agent's key and journal, "
              + "on a CPU shared with everything else running"));
    });
    return v;
  }

  /** How the mode's store commits. */
  private static String commits(String mode) {
    return Modes.postgres(mode) ? "each a PostgreSQL commit, up to 10 side by side"
        : "fsynced, concurrent ones grouped";
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
