package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool runs and prints its table: a few seconds of the in-process scenarios, floor and relayed. No
 * figure is checked — timings belong to benchmark runs on a quiet machine, not to the build.
 */
class BenchSmokeTest {

  @Test
  void runsTheInProcessScenariosAndPrintsTheTableAndTheDocs(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path docs = dir.resolve("BENCHMARKS.md");

    int exit = Main.run(new String[] {"--modes", "floor,sqlite,postgres,postgres-2,sqs", "--scenarios", "sync,pickup",
        "--concurrency", "1,4", "--step", "1s", "--warmup", "1s", "--work-dir", dir.resolve("work").toString(),
        "--pg-host", TestPostgres.server(),
        "--write-docs", docs.toString()}, print(out), print(err));

    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(table).contains("scenario", "throughput", "p50 ms", "p99 ms", "CPU", "RSS", "vs (a)", "target");
    assertThat(table).contains("sync create, 1 caller", "sync create, 4 callers", "pickup latency, 1 caller");
    assertThat(table).contains("(a) simulated SAP in-process", "(b) relay+agent, SQLite");
    assertThat(table).containsPattern("\\(b\\) relay\\+agent, SQLite +[0-9,]+ creates/s");
    assertThat(table).containsPattern("\\(c\\) relay\\+agent, PostgreSQL +[0-9,]+ creates/s");
    assertThat(table).containsPattern("\\(c2\\) 2 relays\\+agent, PostgreSQL \\(engine → A, agent → B\\) +[0-9,]+ creates/s");
    assertThat(table).containsPattern("\\(d\\) relay\\+agent, SQS \\(ElasticMQ\\) +[0-9,]+ creates/s");
    assertThat(table).doesNotContain("not available in this build");
    assertThat(table).contains("Targets:", "PostgreSQL: pickup p50 ≤ 2 ms at 1 caller", "SQS: pickup p50 ≤ 10 ms");
    assertThat(table).doesNotContain("failed calls");

    String md = Files.readString(docs);
    assertThat(md).contains("# Benchmarks", "| JDK |", "| commit |", "## Targets", "## How to reproduce",
        "bench/ferry-bench --modes floor,sqlite,postgres,postgres-2,sqs");
    assertThat(md).doesNotContain(dir.resolve("work").toString());
  }

  @Test
  void aPostgresModeWhoseServerIsUnreachableSaysHowToFixItAndTheOtherModesStillRun(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    int exit = Main.run(new String[] {"--modes", "floor,postgres", "--scenarios", "sync", "--concurrency", "1",
        "--step", "1s", "--warmup", "0s", "--pg-host", "127.0.0.1:1", "--work-dir", dir.toString()},
        print(out), print(err));

    assertThat(exit).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("NOT RUN: PostgreSQL is not reachable at 127.0.0.1:1",
        "--pg-host", "leave postgres and postgres-2 out of --modes");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("(a) simulated SAP in-process",
        "not run: PostgreSQL is not reachable");
  }

  /**
   * Relay and agent as the processes an operator runs, with their CPU per create, beside the wire floor (the same
   * transport and commits without Ferry's logic), and the tunnel comparison's paths (the ssh -R one where this
   * machine has an sshd; otherwise its rows say what is missing).
   */
  @Test
  void runsRelayAndAgentAsProcessesAndComparesWithTheTunnel(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(new String[] {"--modes", "processes,wire", "--scenarios", "sync,tunnel", "--concurrency", "1",
        "--step", "1s", "--warmup", "1s", "--work-dir", dir.toString()}, print(out), print(err));

    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(table).containsPattern("\\(b\\) relay and agent processes, SQLite +[0-9,]+ creates/s");
    assertThat(table).containsPattern("relay \\+ agent [0-9]+ µs of CPU per create");
    assertThat(table).containsPattern("\\(w\\) wire floor: HTTP, WebSocket, fsynced commits only +[0-9,]+ creates/s");
    assertThat(table).as("the target's reason compares Ferry with the floor")
        .containsPattern("the wire floor \\(.*\\) did [0-9,]+ creates/s, p50 [0-9.]+ ms")
        .containsPattern("Ferry's own work is -?[0-9]+ µs per create");
    assertThat(table).containsPattern("\\(t1\\) direct to the OData server +[0-9,]+ creates/s");
    assertThat(table).containsPattern("\\(t3\\) through Ferry \\(relay \\+ agent processes\\) +[0-9,]+ creates/s");
    if (TunnelComparison.unavailable().isEmpty()) {
      assertThat(table).containsPattern("\\(t2\\) through ssh -R +[0-9,]+ creates/s");
      assertThat(table).contains("OData: Ferry's added p50 over direct ≤ the ssh -R tunnel's");
    } else {
      assertThat(table).contains("no sshd at");
    }
    assertThat(table).contains("relay + agent processes: p50 ≤ 2 ms at 1 caller");
    assertThat(table).doesNotContain("failed calls");
  }

  @Test
  void refusesAnUnknownMode() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(new String[] {"--modes", "floor,redis"}, print(new ByteArrayOutputStream()), print(err));
    assertThat(exit).isNotZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown mode 'redis'",
        "floor, sqlite, processes, wire, postgres, postgres-2, sqs");
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
