package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.PollResponse;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import okhttp3.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 2 — slow bodies. Connections that send a request body one byte at a time (to the enroll
 * route, which has no credential in a header, and to creates with a valid API key) used to take every
 * worker thread of the relay, so that {@code /healthz}, creates and agents' polls timed out until they
 * closed. Attacks over real sockets against a running relay.
 */
class SlowBodyTest {

  /** The attack's size: about 260 such connections were enough to stop the relay answering. */
  private static final int SLOW_CONNECTIONS = 1_000;
  /** What the issue asks: the relay still answers within a second. */
  private static final Duration PROMPT = Duration.ofSeconds(1);

  @TempDir
  Path dataDir;

  @Test
  void aThousandSlowBodiesLeaveHealthCreatesAndPollsAnswering() throws Exception {
    // Two sockets per connection (ours and the relay's) in this one process, and a margin for the rest.
    assumeThat(freeFileDescriptors()).as("file descriptors this test needs (ulimit -n)")
        .isGreaterThan(2L * SLOW_CONNECTIONS + 500);
    // The 500 slow creates share one key: at the default 500 requests a minute they alone would empty its rate limit,
    // and the probes' 429s would say nothing about slow bodies.
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withIdleTimeout(Duration.ofSeconds(60))
        .withBodyTimeout(Duration.ofMinutes(2)).withPollHold(Duration.ofSeconds(1)).withRateLimit(100_000));
        SlowClients slow = new SlowClients()) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent worker = tenant.enrollAgent();
      FakeAgent prober = tenant.enrollAgent();
      AtomicBoolean working = new AtomicBoolean(true);
      Thread agent = Thread.ofPlatform().name("slow-body-test-agent").daemon().start(() -> work(worker, working));
      try {
        List<Probe> probes = List.of(
            new Probe("GET /healthz", 200,
                () -> Http.send(new Request.Builder().url(relay.base() + "/healthz").build()).status()),
            new Probe("GET /v1/connection", 200, () -> tenant.engine().get("/v1/connection").status()),
            new Probe("a create", 201, () -> tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON).status()),
            // A poll that asks not to be held: the relay answers it at once with what is queued (nothing).
            new Probe("an agent's poll", 200, () -> prober.postWith(prober.authorization("POST", Protocol.POLL_PATH),
                Protocol.POLL_PATH, new PollRequest(Protocol.VERSION, 1, 0, "0.1.0", "bapi", 0, null)).status()));
        Duration bound = boundFor(probes);
        // Half the connections are creates with this tenant's key, all from one address; the other half
        // enrolls, spread over loopback addresses so that the per-address cap of unauthenticated requests
        // does not refuse them: the relay must stay responsive with every one of them open.
        for (int i = 0; i < SLOW_CONNECTIONS; i++) {
          if (i % 2 == 0) {
            slow.open(relay.base(), InetAddress.getByName("127.0.0.1"), "/v1/customers", "X-API-Key: " + tenant.apiKey());
          } else {
            slow.open(relay.base(), InetAddress.getByName("127.0.1." + (1 + (i / 2) % 50)), Protocol.ENROLL_PATH, "");
          }
        }
        // The relay first takes in the thousand requests at once, which on a small machine is a few
        // seconds' work; a relay whose threads they hold never gets to answer.
        Probe health = probes.get(0);
        Fixtures.await("the relay to answer /healthz with " + SLOW_CONNECTIONS + " slow connections open",
            Duration.ofSeconds(30), () -> health.answersWithin(bound));
        // Each round sends every slow connection one more byte, then asks what a normal client asks.
        for (int round = 1; round <= 3; round++) {
          assertThat(slow.trickle()).as("slow connections still open in round %d", round).isEqualTo(SLOW_CONNECTIONS);
          for (Probe probe : probes) {
            probe.assertPrompt("round " + round, bound);
          }
        }
      } finally {
        working.set(false);
        agent.join(TimeUnit.SECONDS.toMillis(10));
      }
    }
  }

  @Test
  void aBodyStillArrivingAfterTheBodyTimeoutIs408() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withBodyTimeout(Duration.ofSeconds(1)));
        SlowClients slow = new SlowClients()) {
      TestRelay.Tenant tenant = relay.tenant();
      Socket socket = slow.open(relay.base(), InetAddress.getByName("127.0.0.1"), "/v1/customers",
          "X-API-Key: " + tenant.apiKey());
      socket.setSoTimeout(200);
      // A byte every 200 ms keeps the connection well inside relay.idle-timeout, never the body inside
      // relay.body-timeout: the relay ends it with a 408 problem.
      StringBuilder answer = new StringBuilder();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (answer.isEmpty() && System.nanoTime() < deadline) {
        try {
          socket.getOutputStream().write(' ');
          socket.getOutputStream().flush();
        } catch (IOException closed) {
          // The relay answered and closed; the answer is read below.
        }
        answer.append(readSome(socket.getInputStream()));
      }
      assertThat(answer.toString()).startsWith("HTTP/1.1 408").contains("FERRY-RELAY-0115")
          .contains("relay.body-timeout");
    }
  }

  @Test
  void aCredentialInAHeaderIsCheckedBeforeTheBodyIsRead() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withIdleTimeout(Duration.ofSeconds(60)));
        SlowClients slow = new SlowClients()) {
      InetAddress from = InetAddress.getByName("127.0.0.1");
      Socket engine = slow.open(relay.base(), from, "/v1/customers", "X-API-Key: ferry_ak_unknown");
      Socket admin = slow.open(relay.base(), from, "/admin/v1/keys", "Authorization: Bearer ferry_ak_unknown");
      Socket agent = slow.open(relay.base(), from, Protocol.POLL_PATH, "Authorization: Bearer ferry_agent_unknown");
      // The bodies never arrive; the answers do, long before relay.idle-timeout.
      for (Socket socket : List.of(engine, admin, agent)) {
        socket.setSoTimeout(20_000);
        assertThat(readSome(socket.getInputStream())).startsWith("HTTP/1.1 401");
      }
    }
  }

  @Test
  void unauthenticatedRequestsOverThePerAddressCapAre429AndOtherAddressesAreServed() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withMaxUnauthenticatedPerAddress(4)
        .withIdleTimeout(Duration.ofSeconds(60)));
        SlowClients slow = new SlowClients()) {
      TestRelay.Tenant tenant = relay.tenant();
      InetAddress attacker = InetAddress.getByName("127.0.2.1");
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        held.add(slow.open(relay.base(), attacker, Protocol.ENROLL_PATH, ""));
      }
      Fixtures.await("the four slow enrollments to be counted", Duration.ofSeconds(30),
          () -> relay.relay.unauthenticatedInProgress(attacker.getHostAddress()) == 4);

      Socket fifth = slow.open(relay.base(), attacker, Protocol.ENROLL_PATH, "");
      fifth.setSoTimeout(10_000);
      String refused = readSome(fifth.getInputStream());
      assertThat(refused).startsWith("HTTP/1.1 429").contains("FERRY-RELAY-0120")
          .contains("relay.max-unauthenticated-per-address").containsIgnoringCase("Retry-After: 1");

      // Enrollment from another address, and anything with credentials from this one, still works.
      FakeAgent agent = tenant.enrollAgent();
      assertThat(agent.pollNow(1).jobs()).isEmpty();
      assertThat(tenant.engine().get("/v1/connection").status()).isEqualTo(200);

      // The slots are given back when the slow requests end.
      held.forEach(SlowBodyTest::closeQuietly);
      Fixtures.await("the slow enrollments to be counted out", Duration.ofSeconds(30),
          () -> relay.relay.unauthenticatedInProgress(attacker.getHostAddress()) == 0);
    }
  }

  /** The worker agent: polls and answers every create as SAP would, until told to stop. */
  private static void work(FakeAgent agent, AtomicBoolean working) {
    int number = 100_000;
    while (working.get()) {
      try {
        PollResponse response = agent.poll(1);
        for (JobEnvelope job : response.jobs()) {
          agent.succeed(job, Fixtures.created(job.customer(), String.format("%010d", number++)));
        }
      } catch (Exception | AssertionError e) {
        // A failed poll is retried after a pause, as a real agent backs off; the probes report the failure.
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
  }

  /**
   * The bound is a second. A test machine so loaded that the same requests take longer without
   * any attack gets three times what they took then: a starved relay answers none of them.
   */
  private static Duration boundFor(List<Probe> probes) throws Exception {
    Duration bound = PROMPT;
    for (Probe probe : probes) {
      Duration unloaded = probe.fastest().multipliedBy(3);
      bound = unloaded.compareTo(bound) > 0 ? unloaded : bound;
    }
    return bound;
  }

  /** A normal client's request, tried up to three times: a loaded machine may stall one, a starved relay all. */
  private record Probe(String what, int expected, Supplier<Integer> call) {

    /** The fastest of three tries that answered as expected (before the attack). */
    Duration fastest() throws Exception {
      Duration best = null;
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        int status = Http.async(call::get).get(30, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(status).as(what + " without slow clients").isEqualTo(expected);
        best = best == null || took.compareTo(best) < 0 ? took : best;
      }
      return best;
    }

    boolean answersWithin(Duration bound) {
      try {
        return Http.async(call::get).get(bound.toMillis(), TimeUnit.MILLISECONDS) == expected;
      } catch (Exception e) {
        return false;
      }
    }

    void assertPrompt(String when, Duration bound) {
      List<String> tries = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        String outcome;
        try {
          int status = Http.async(call::get).get(bound.toMillis(), TimeUnit.MILLISECONDS);
          long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          if (status == expected && took <= bound.toMillis()) {
            return;
          }
          outcome = status + " after " + took + " ms";
        } catch (java.util.concurrent.TimeoutException e) {
          outcome = "no answer within " + bound.toMillis() + " ms";
        } catch (Exception e) {
          outcome = String.valueOf(e);
        }
        tries.add(outcome);
      }
      throw new AssertionError(what + " in " + when + " did not answer " + expected + " within " + bound.toMillis()
          + " ms: " + tries);
    }
  }

  private static long freeFileDescriptors() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
      return os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
    }
    return Long.MAX_VALUE;
  }

  private static String readSome(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    try {
      int n = in.read(buffer);
      return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.UTF_8);
    } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
      return "";
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all that was wanted
    }
  }

  /** Raw sockets that declare a body of 1,000 bytes and send it a byte at a time; all closed at the end. */
  private static final class SlowClients implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    /** A POST from {@code from} whose headers and first body byte arrive, the rest never unless trickled. */
    Socket open(URI base, InetAddress from, String path, String header) throws IOException {
      Socket socket = new Socket();
      sockets.add(socket);
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
          + "Content-Type: application/json\r\nContent-Length: 1000\r\n" + (header.isEmpty() ? "" : header + "\r\n")
          + "\r\n{").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return socket;
    }

    /** One more byte on every connection; how many took it (the others were closed by the relay). */
    int trickle() {
      int open = 0;
      for (Socket socket : sockets) {
        try {
          socket.getOutputStream().write(' ');
          socket.getOutputStream().flush();
          open++;
        } catch (IOException closed) {
          // counted as closed
        }
      }
      return open;
    }

    @Override
    public void close() {
      sockets.forEach(SlowBodyTest::closeQuietly);
    }
  }
}
