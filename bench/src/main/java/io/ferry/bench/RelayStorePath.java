package io.ferry.bench;

import com.sun.management.OperatingSystemMXBean;
import io.ferry.protocol.Action;
import io.ferry.protocol.Protocol;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.JobStore;
import io.ferry.relay.store.SqlStore;
import io.ferry.relay.store.Ulid;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay store's part of a create, without HTTP and the agent: callers (32 unless told) each insert a job leased on arrival
 * (as one handed to a waiting poll is) and then complete it with a result, on a real SQLite file with group commit,
 * fsynced. Prints the process's CPU and the bytes written per job, which do not move with the rest of the machine's
 * load, so changes to the store's statements, schema and commits compare cleanly:
 *
 * <pre>java -XX:+UseSerialGC -Xmx512m --enable-native-access=ALL-UNNAMED \
 *   -cp bench/target/ferry-bench.jar io.ferry.bench.RelayStorePath [warm-up jobs] [measured jobs] [callers, 32]</pre>
 *
 * Fewer callers make smaller commit groups, as a relay sees when its writes arrive spread out.
 */
public final class RelayStorePath {

  private RelayStorePath() {}

  public static void main(String[] args) throws Exception {
    int warm = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int callers = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    Path dir = Files.createTempDirectory("ferry-relay-store-path");
    try (SqlStore store = SqlStore.open(dir)) {
      String tenant = store.access().ensureTenant("bench", Ulid.next(), Instant.now());
      String request = Protocol.json().writeValueAsString(Workload.customer(Workload.externalId("S", 1)));
      String result = "{\"customerNumber\":\"0000012345\",\"created\":true}";
      run(store.jobs(), tenant, request, result, warm, callers);
      double[] figures = run(store.jobs(), tenant, request, result, measured, callers);
      System.out.printf("relay store path: %d jobs, %d callers, %.0f jobs/s, %.0f µs CPU per job (the whole process), "
          + "%.1f KB written per job%n", measured, callers, figures[0], figures[1], figures[2]);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    System.exit(0);
  }

  /** What this process wrote to storage so far (Linux; 0 elsewhere): the WAL, checkpoints, the log. */
  private static long writtenBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (line.startsWith("write_bytes:")) {
          return Long.parseLong(line.substring("write_bytes:".length()).trim());
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux: the figure reads 0
    }
    return 0;
  }

  /** Jobs per second, CPU µs per job, KB written per job. */
  private static double[] run(JobStore jobs, String tenant, String request, String result, int count,
      int callers)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    AtomicInteger next = new AtomicInteger();
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long written0 = writtenBytes();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < callers; w++) {
      String agent = "01JF0000000000000000AGENT" + (char) ('A' + w % 26);
      running.add(pool.submit(() -> {
        while (next.getAndIncrement() < count) {
          Instant now = Instant.now();
          Job job = Job.queued(Ulid.next(), tenant, null, Action.CUSTOMER_CREATE, request, null, now,
              now.plus(Duration.ofMinutes(10))).leasedOnArrival(agent, now.plusSeconds(60));
          jobs.insert(job);
          jobs.complete(tenant, job.id(), agent, 1, JobState.SUCCEEDED, result, null, Instant.now());
        }
        return null;
      }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    long cpu = os.getProcessCpuTime() - cpu0;
    long wall = System.nanoTime() - t0;
    long written = writtenBytes() - written0;
    pool.shutdown();
    return new double[] {count / (wall / 1e9), cpu / 1e3 / count, written / 1024.0 / count};
  }
}
