package io.ferry.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.agent.Agent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One chaos run: the relay and the agent run as operating-system processes of their own; engine
 * threads send creates (customers and sales orders, in turn) with Idempotency-Keys and retry as Power Automate does,
 * while a supervisor
 * disrupts the relay or the agent at random points ({@link Disruption}) and starts it again. The
 * simulated SAP system keeps its customers in a data file, so they outlive the agent, as a real SAP's
 * would.
 *
 * <p>{@link Figures#assertNothingLostNothingDuplicated()} then checks that every accepted request has
 * exactly one terminal state (a re-POST with its key answers the same outcome as a replay), SAP holds
 * exactly one customer or sales order per successful create (the one the engine was told) and none for a failed one,
 * and no result is lost.
 */
final class ChaosRun {

  /** What the supervisor does to a process; it starts the process again afterwards. */
  enum Disruption {
    KILL_AGENT, KILL_RELAY, STOP_RELAY;

    boolean agent() {
      return this == KILL_AGENT;
    }
  }

  /** The figures a run prints, and the checks on them. */
  record Figures(String mode, int requests, int accepted, int succeeded, int failed, int relayKills, int relayStops,
      int agentKills, int duplicates, int lost, int changed, int orphans, int wrongCustomer, int settledAfterRun,
      int sapCustomers, int engineCalls, double seconds, long seed) {

    String line() {
      return String.format(Locale.ROOT,
          "CHAOS FIGURES mode=%s requests=%d accepted=%d succeeded=%d failed=%d kills=%d (relay=%d agent=%d) "
              + "graceful-relay-stops=%d duplicates=%d lost=%d changed=%d orphans=%d wrong-customer=%d "
              + "settled-after-run=%d sap-customers=%d engine-calls=%d duration=%.1fs seed=%d",
          mode, requests, accepted, succeeded, failed, relayKills + agentKills, relayKills, agentKills, relayStops,
          duplicates, lost, changed, orphans, wrongCustomer, settledAfterRun, sapCustomers, engineCalls, seconds, seed);
    }

    void assertNothingLostNothingDuplicated() {
      assertThat(accepted).as("requests the relay accepted (the engines retry until it does)").isEqualTo(requests);
      assertThat(duplicates).as("duplicate customers or sales orders in SAP").isZero();
      assertThat(lost).as("accepted requests without a terminal state").isZero();
      assertThat(changed).as("requests whose outcome changed between the engine's answer and the replay").isZero();
      assertThat(wrongCustomer).as("successful creates whose customer SAP does not hold").isZero();
      assertThat(orphans).as("customers in SAP for creates that did not succeed").isZero();
      assertThat(succeeded + failed).as("requests with a terminal state").isEqualTo(requests);
    }
  }

  private static final String SAP_PASSWORD = "chaos-sap-password";

  private final Path work;
  private final int requests;
  private final int engines;
  private final long seed;
  private final List<Disruption> plan;
  private final Relays relays;

  /** Prepares the relays of a run (store, tenant, processes) in its work directory; they are started later. */
  @FunctionalInterface
  interface Relays {
    RelayCluster prepare(Path work, Path logs) throws IOException;
  }

  /**
   * @param plan the disruptions, in order; they are spread evenly over the run (disruption k comes once
   *     (k+1)/(n+1) of the requests have ended), each after a random moment more
   */
  ChaosRun(Path work, int requests, int engines, long seed, List<Disruption> plan) {
    this(work, requests, engines, seed, plan, RelayCluster::sqlite);
  }

  /** @param relays which relays: one on SQLite by default, two on PostgreSQL ({@link RelayCluster}) */
  ChaosRun(Path work, int requests, int engines, long seed, List<Disruption> plan, Relays relays) {
    this.relays = relays;
    this.work = work;
    this.requests = requests;
    this.engines = engines;
    this.seed = seed;
    this.plan = List.copyOf(plan);
  }

  Figures run() throws Exception {
    Random random = new Random(seed ^ 0x5DEECE66DL);
    String run = Long.toString(Math.abs(seed % 1_000_000), 36).toUpperCase(Locale.ROOT);
    Path logs = Files.createDirectories(work.resolve("logs"));
    System.out.println("chaos: seed " + seed + ", " + requests + " requests, " + plan.size() + " disruptions, " + engines
        + " engine threads; work directory " + work);

    RelayCluster cluster = relays.prepare(work, logs);
    List<FerryProcess> started = new ArrayList<>(cluster.relays());
    try {
      for (FerryProcess relay : cluster.relays()) {
        relay.start();
      }
      awaitRelays(cluster, Duration.ofSeconds(60));
      Path sapData = work.resolve("sap-simulator.json");
      FerryProcess agent = agentProcess(cluster, sapData, logs);
      started.add(agent);
      agent.start();
      awaitAgentOnline(cluster, Duration.ofSeconds(60));
      return drive(cluster, agent, sapData, random, run);
    } finally {
      for (FerryProcess p : started) {
        p.kill9();
      }
      cluster.close();
    }
  }

  private Figures drive(RelayCluster cluster, FerryProcess agent, Path sapData, Random random, String run) throws Exception {
    ChaosEngine engine = new ChaosEngine(cluster.engineUrls(), cluster.apiKey());
    List<ChaosEngine.Request> all = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      all.add(new ChaosEngine.Request(i, run));
    }
    ConcurrentLinkedQueue<ChaosEngine.Request> queue = new ConcurrentLinkedQueue<>(all);
    long started = System.nanoTime();
    long deadline = started + Duration.ofMinutes(5).toNanos() + Duration.ofMillis(300L * requests).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(engines);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < engines; t++) {
      workers.add(pool.submit(() -> {
        for (ChaosEngine.Request r; (r = queue.poll()) != null; ) {
          engine.submit(r, deadline);
        }
        return null;
      }));
    }

    // The supervisor: disruption k comes once (k+1)/(n+1) of the requests have ended, after a random
    // moment more, so it lands at a random point of the work: a poll, a SAP call, a result on its way.
    int relayKills = 0;
    int relayStops = 0;
    int agentKills = 0;
    for (int k = 0; k < plan.size(); k++) {
      int threshold = (int) ((long) (k + 1) * requests / (plan.size() + 1));
      while (engine.finished() < threshold && System.nanoTime() < deadline) {
        Thread.sleep(20); // progress is counted by the engines; the supervisor looks now and then
      }
      Thread.sleep(random.nextInt(400));
      Disruption d = plan.get(k);
      FerryProcess target = d.agent() ? agent : cluster.relays().get(random.nextInt(cluster.relays().size()));
      switch (d) {
        case KILL_AGENT -> {
          target.kill9();
          agentKills++;
        }
        case KILL_RELAY -> {
          target.kill9();
          relayKills++;
        }
        case STOP_RELAY -> {
          target.stop(60);
          relayStops++;
        }
      }
      Thread.sleep(random.nextInt(1500)); // downtime before the service manager starts it again
      target.start();
    }
    for (Future<?> w : workers) {
      w.get(Math.max(1, deadline - System.nanoTime()) + TimeUnit.MINUTES.toNanos(1), TimeUnit.NANOSECONDS);
    }
    pool.shutdown();

    // Every accepted request, asked again with its key, must be answered with its one outcome.
    long confirmBy = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    int lost = 0;
    int changed = 0;
    int settledAfterRun = 0;
    for (ChaosEngine.Request r : all) {
      if (!r.accepted) {
        continue;
      }
      boolean wasUnfinished = r.outcome == ChaosEngine.Outcome.UNFINISHED;
      ChaosEngine.Confirmation c = engine.confirm(r, confirmBy);
      switch (c) {
        case FORGOTTEN, NO_ANSWER -> lost++;
        case DIFFERENT -> changed++;
        case SAME -> settledAfterRun += wasUnfinished ? 1 : 0;
      }
      if (c != ChaosEngine.Confirmation.SAME) {
        System.out.println("chaos: request " + r.key + " (" + r.externalId + ") " + c + ": engine saw " + r.outcome
            + " " + r.finalStatus + " " + r.customerNumber);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    // Stop gracefully so the simulator's file is final, then count what SAP holds.
    // 143: the JVM ended by SIGTERM after its shutdown hook (the graceful stop) ran.
    assertThat(agent.stop(60)).as("agent exit code").isIn(0, 143);
    for (FerryProcess relay : cluster.relays()) {
      relay.stop(60);
    }
    SimulatedSapData sap = SimulatedSapData.read(sapData);
    int accepted = 0;
    int succeeded = 0;
    int failed = 0;
    int wrongCustomer = 0;
    int orphans = 0;
    for (ChaosEngine.Request r : all) {
      accepted += r.accepted ? 1 : 0;
      List<String> inSap = sap.numbers(r.externalId);
      if (r.outcome == ChaosEngine.Outcome.SUCCEEDED) {
        succeeded++;
        if (!inSap.contains(r.customerNumber)) {
          wrongCustomer++;
          System.out.println("chaos: " + r.externalId + " succeeded as " + r.customerNumber + " but SAP holds " + inSap);
        }
      } else {
        failed += r.outcome == ChaosEngine.Outcome.FAILED ? 1 : 0;
        if (!inSap.isEmpty()) {
          orphans += inSap.size();
          System.out.println("chaos: " + r.externalId + " ended " + r.outcome + " " + r.finalStatus + " but SAP holds " + inSap);
        }
      }
    }
    String prefix = "CHX-" + run + "-";
    Figures f = new Figures(cluster.mode(), requests, accepted, succeeded, failed, relayKills, relayStops, agentKills,
        sap.duplicates(prefix), lost, changed, orphans, wrongCustomer, settledAfterRun, sap.customers(prefix),
        engine.calls(), seconds, seed);
    System.out.println(f.line());
    Files.writeString(Path.of("target", "chaos-figures.txt"), f.line() + System.lineSeparator(),
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return f;
  }

  private FerryProcess agentProcess(RelayCluster cluster, Path sapData, Path logs) throws Exception {
    Path dir = work.resolve("agent");
    Agent.enroll(cluster.agentUrl(), cluster.enrollmentToken(), dir, "chaos-agent");
    Path config = work.resolve("agent.properties");
    Files.writeString(config, String.join("\n",
        "agent.relay-url=" + cluster.agentUrl(),
        "agent.data-dir=" + dir,
        "agent.workers=8",
        "agent.lease-renew-every=1s",
        "agent.connect-timeout=2s",
        "agent.poll-timeout=15s",
        "agent.poll-watchdog=14s",
        "agent.backoff-initial=50ms",
        "agent.backoff-max=1s",
        "agent.shutdown-grace=20s",
        "sap.backend=bapi",
        "sap.destination=CHAOS",
        "sap.jco.jco.client.ashost=sap-simulator.local",
        "sap.jco.jco.client.sysnr=00",
        "sap.jco.jco.client.client=100",
        "sap.jco.jco.client.user=FERRY",
        "sap.jco.jco.client.lang=EN",
        "sap.jco.jco.mock.data_file=" + sapData,
        "sap.reference-customer.1000/10/00=1000",
        "policy.actions=customer.create,customer.read,customer.update,customer.upsert,customer.search,"
            + "salesorder.create,salesorder.read",
        ""));
    if (!cluster.agentSettings().isEmpty()) {
      Files.writeString(config, String.join("\n", cluster.agentSettings()) + "\n", StandardOpenOption.APPEND);
    }
    Map<String, String> env = new java.util.HashMap<>(cluster.agentEnv());
    env.put("FERRY_SAP_PASSWORD", SAP_PASSWORD);
    return new FerryProcess("agent", List.of("agent", "run", "--config", config.toString()), env, logs);
  }

  private static void awaitRelays(RelayCluster cluster, Duration timeout) throws Exception {
    for (URI url : cluster.engineUrls()) {
      awaitConnection(url, cluster.apiKey(), timeout, false);
    }
  }

  private static void awaitAgentOnline(RelayCluster cluster, Duration timeout) throws Exception {
    awaitConnection(cluster.engineUrls().get(0), cluster.apiKey(), timeout, true);
  }

  /** Asks {@code GET /v1/connection} until the relay answers (and, when asked, reports an agent online). */
  private static void awaitConnection(URI url, String apiKey, Duration timeout, boolean agentOnline) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/v1/connection")).header("X-API-Key", apiKey)
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && (!agentOnline || new ObjectMapper().readTree(r.body()).path("agentOnline").asBoolean())) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100); // polling interval while a process starts
    }
    throw new AssertionError("the relay at " + url + (agentOnline ? " saw no agent" : " did not answer") + " within " + timeout);
  }
}
