package io.ferry.e2e;

import io.ferry.testing.TestPostgres;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.sap.setup.SapBackends;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out promise with real processes: two relays started with the launcher ({@code ferry relay serve
 * --store postgres}) on one PostgreSQL database, the real agent polling relay B, engines writing through
 * relay A. Relay A is killed (SIGKILL) while requests wait on it: every request, retried through B with its
 * Idempotency-Key as an engine behind a load balancer would, ends with its customer; every job is in
 * PostgreSQL exactly once and succeeded; and B keeps answering new requests. Runs after {@code package}
 * (failsafe): it needs the built distribution.
 */
class RelayProcessKillIT {

  private static final Pattern LISTENING = Pattern.compile("Ferry relay listening on (http://\\S+)");

  @TempDir Path dir;
  private TestPostgres db;
  private final List<Process> processes = new ArrayList<>();
  private Agent agent;

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    for (Process p : processes) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void killingOneOfTwoRelayProcessesLosesNoJobAndTheOtherKeepsAnswering() throws Exception {
    db = TestPostgres.create("e2e");
    Path relayDir = dir.resolve("relay");
    String jdbcUrl = db.jdbcUrl();
    List<String> store = List.of("--store", "postgres", "--jdbc-url", jdbcUrl, "--db-user", db.user());

    Process bootstrap = ferry(concat(List.of("relay", "bootstrap", "--data-dir", relayDir.toString(), "--tenant", "acme"),
        store));
    String printed = new String(bootstrap.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bootstrap.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(bootstrap.exitValue()).as(printed).isZero();
    String apiKey = find(printed, "API key:\\s+(\\S+)");
    String token = find(printed, "enrollment token:\\s+(\\S+)");

    // Both relays use the data directory bootstrap made: they share its keys, as docs/scaling.md asks.
    URI a = serve(relayDir, store);
    Process relayA = processes.get(processes.size() - 1);
    URI b = serve(relayDir, store);

    AgentConfig agentConfig = AgentConfig.defaults(b, dir.resolve("agent"))
        .withPollTimeout(Duration.ofSeconds(15))
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .withShutdownGrace(Duration.ofSeconds(10));
    Agent.enroll(agentConfig, token, "kill-test-agent");
    agent = Agent.start(agentConfig, SapBackends.open(FerryStack.SIMULATED_SAP, agentConfig.policy().calls(null)));
    assertThat(agent.awaitConnected(Duration.ofSeconds(30))).isTrue();

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    AtomicBoolean aDown = new AtomicBoolean();
    int requests = 20;
    CountDownLatch aQuarter = new CountDownLatch(requests / 4);
    ExecutorService engines = Executors.newFixedThreadPool(requests);
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < requests; i++) {
        String id = "kill-" + i;
        calls.add(CompletableFuture.supplyAsync(() -> {
          HttpResponse<String> r = createUntilDone(http, aDown.get() ? b : a, b, aDown, apiKey, id);
          aQuarter.countDown();
          return r;
        }, engines));
      }
      assertThat(aQuarter.await(120, TimeUnit.SECONDS)).as("a quarter of the requests answered").isTrue();
      aDown.set(true);
      relayA.destroyForcibly(); // SIGKILL: no goodbye, no graceful answers
      assertThat(relayA.waitFor(30, TimeUnit.SECONDS)).isTrue();

      for (CompletableFuture<HttpResponse<String>> call : calls) {
        HttpResponse<String> r = call.get(180, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).contains("\"customerNumber\"");
      }
    } finally {
      engines.shutdownNow();
    }
    HttpResponse<String> after = createUntilDone(http, b, b, aDown, apiKey, "after-the-kill");
    assertThat(after.statusCode()).as(after.body()).isEqualTo(201);

    assertThat(jobStates()).as("each request one job, every job succeeded").isEqualTo(Map.of("SUCCEEDED", requests + 1));
  }

  /** An engine behind a load balancer: the same request, same Idempotency-Key, until it has an answer. */
  private static HttpResponse<String> createUntilDone(HttpClient http, URI first, URI survivor, AtomicBoolean firstDown,
      String apiKey, String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    URI relay = first;
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(relay.resolve("/v1/customers"))
            .timeout(Duration.ofSeconds(40))
            .header("X-API-Key", apiKey)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", id)
            .POST(HttpRequest.BodyPublishers.ofString(CustomerLifecycleTest.customer(id, "DE", "")))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 201) {
          return r;
        }
        if (r.statusCode() != 202 && r.statusCode() != 409 && r.statusCode() != 503) {
          throw new AssertionError("unexpected answer for " + id + ": " + r.statusCode() + " " + r.body());
        }
      } catch (IOException lost) {
        // the relay went away while the request waited
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      if (firstDown.get()) {
        relay = survivor;
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // an engine's retry interval
    }
    throw new AssertionError("no answer for " + id + " in 150 s");
  }

  private URI serve(Path relayDir, List<String> store) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process relay = ferry(concat(List.of("relay", "serve", "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--data-dir", relayDir.toString()), store));
    processes.add(relay);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    List<String> seen = new ArrayList<>();
    for (String l; (l = lines.poll(120, TimeUnit.SECONDS)) != null; ) {
      seen.add(l);
      Matcher m = LISTENING.matcher(l);
      if (m.find()) {
        return URI.create(m.group(1));
      }
    }
    throw new AssertionError("the relay did not start: " + String.join("\n", seen));
  }

  private static Process ferry(List<String> args) throws IOException {
    Path launcher = Path.of("..", "install", "bin", "ferry").toAbsolutePath().normalize();
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("/" + regex + "/ in:\n" + text).isTrue();
    return m.group(1);
  }

  private Map<String, Integer> jobStates() throws Exception {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(),
        db.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT state, COUNT(*) FROM jobs GROUP BY state")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getInt(2));
      }
    }
    return out;
  }
}
