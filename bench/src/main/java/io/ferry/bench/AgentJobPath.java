package io.ferry.bench;

import com.sun.management.OperatingSystemMXBean;
import io.ferry.agent.BusinessObjects;
import io.ferry.agent.exec.JobRunner;
import io.ferry.agent.exec.LeaseKeeper;
import io.ferry.agent.journal.Journal;
import io.ferry.agent.journal.ResultSender;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.policy.JobGate;
import io.ferry.agent.policy.SeenJobs;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.setup.SapBackends;
import io.ferry.protocol.Action;
import io.ferry.protocol.AgentToken;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobSignature;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.TraceParent;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's own part of a create, without the relay and HTTP: the job gate (session MAC, deadline, policy, replay
 * check), the journal (on a real SQLite file, RUNNING fsynced) and the simulated SAP, run by 32 workers in this JVM;
 * results go nowhere. Prints the process's CPU per job, which — unlike the processes mode's figure — does not move
 * with the relay's speed or the rest of the machine's load, so changes to the agent's job path compare cleanly:
 *
 * <pre>java -XX:+UseSerialGC -Xmx512m -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED \
 *   -cp bench/target/ferry-bench.jar io.ferry.bench.AgentJobPath [warm-up jobs] [measured jobs]</pre>
 *
 * The first figures are warm-up (JIT compilation and class loading are counted in the process's CPU); run it with
 * the agent's JVM options to compare them.
 */
public final class AgentJobPath {

  private static final int WORKERS = 32;
  private static final String SESSION = "01JC0000000000000000000001.1900000000.abcdefghijkl";

  private AgentJobPath() {}

  public static void main(String[] args) throws Exception {
    int warm = args.length > 0 ? Integer.parseInt(args[0]) : 6_000;
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Path dir = Files.createTempDirectory("ferry-agent-job-path");
    SapBackend sap = SapBackends.open(Workload.SIMULATED_SAP);
    ResultSender nowhere = result -> { };
    Journal journal = new Journal(dir, nowhere, new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), Math::random),
        Clock.systemUTC());
    journal.start();
    byte[] secret = new byte[32];
    new Random(1).nextBytes(secret);
    JobGate gate = new JobGate(AgentPolicy.defaults(), AgentToken.newKeyPair().getPublic(), session -> secret,
        Clock.systemUTC(), SeenJobs.open(dir));
    JobRunner runner = new JobRunner(BusinessObjects.handlers(sap, SapCalls.DIRECT), journal,
        new LeaseKeeper((job, inFlight) -> { }, Duration.ofSeconds(20)), gate);
    String run = Long.toString(System.nanoTime(), 36).toUpperCase(java.util.Locale.ROOT);
    run(runner, jobs(secret, run + "W", warm));
    double[] figures = run(runner, jobs(secret, run + "M", measured));
    System.out.printf("agent job path: %d jobs, %.0f jobs/s, %.0f µs CPU per job (the whole process), %.0f %% of a core%n",
        measured, figures[0], figures[1], figures[2]);
    System.exit(0);
  }

  /** Envelopes as the relay hands them to a poll made in a session: MAC-signed. */
  private static List<JobEnvelope> jobs(byte[] secret, String prefix, int count) {
    List<JobEnvelope> jobs = new ArrayList<>(count);
    Instant now = Instant.now();
    for (int i = 0; i < count; i++) {
      JobEnvelope job = new JobEnvelope(Protocol.VERSION, String.format("01JF%s%010d", prefix, i),
          Action.CUSTOMER_CREATE, 1, now.plusSeconds(600), now.plusSeconds(3600), null,
          Workload.customer(Workload.externalId(prefix, i)), null, TraceParent.random().toString(), null, null);
      jobs.add(JobSignature.mac(secret, SESSION, job));
    }
    return jobs;
  }

  /** Jobs per second, CPU µs per job, CPU % of a core. */
  private static double[] run(JobRunner runner, List<JobEnvelope> jobs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    AtomicInteger next = new AtomicInteger();
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      workers.add(pool.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < jobs.size()) {
          runner.run(jobs.get(i));
        }
      }));
    }
    for (Future<?> f : workers) {
      f.get();
    }
    long cpu = os.getProcessCpuTime() - cpu0;
    long wall = System.nanoTime() - t0;
    pool.shutdown();
    return new double[] {jobs.size() / (wall / 1e9), cpu / 1e3 / jobs.size(), 100.0 * cpu / wall};
  }
}
