package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.PollRequest;
import io.ferry.protocol.PollResponse;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The abuse limits over real HTTP: JSON depth and value lengths, header size, a client that stalls its
 * body, and an agent's polls in progress.
 */
class AbuseLimitsTest {

  @TempDir
  Path dataDir;

  @Test
  void anEngineBodyNestedDeeperThanTheLimitIsRefusedUnread() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      tenant.enrollAgent();
      String deep = "{\"name\":" + "[".repeat(40) + "]".repeat(40) + "}";

      Problem problem = tenant.engine().post("/v1/customers", deep).problem();

      assertThat(problem.status()).isEqualTo(400);
      assertThat(problem.code()).isEqualTo("FERRY-RELAY-0114");
      assertThat(problem.detail()).contains("deeper than 32").contains("relay.max-json-depth");
    }
  }

  @Test
  void theDepthLimitIsASetting() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withMaxJsonDepth(4))) {
      TestRelay.Tenant tenant = relay.tenant();
      tenant.enrollAgent();
      String five = "{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}";

      assertThat(tenant.engine().post("/v1/customers", five).problem().code()).isEqualTo("FERRY-RELAY-0114");
    }
  }

  @Test
  void aStringOverTheLengthLimitIsRefused() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      tenant.enrollAgent();
      String huge = "{\"name\":\"" + "x".repeat(70_000) + "\"}";

      Problem problem = tenant.engine().post("/v1/customers", huge).problem();

      assertThat(problem.status()).isEqualTo(400);
      assertThat(problem.code()).isEqualTo("FERRY-RELAY-0114");
      assertThat(problem.detail()).contains("string is longer than 65536");
    }
  }

  @Test
  void anAgentMessageNestedTooDeeplyIsRefused() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      FakeAgent agent = relay.tenant().enrollAgent();
      String deep = "{\"protocolVersion\":1,\"maxJobs\":1,\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";

      Reply reply = Http.send(new Request.Builder().url(relay.base() + Protocol.POLL_PATH)
          .header("Authorization", agent.authorization("POST", Protocol.POLL_PATH))
          .post(Http.json(deep)).build());

      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0114");
    }
  }

  @Test
  void headersOverTheLimitAre431AsAProblem() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withMaxHeaderBytes(4096))) {
      TestRelay.Tenant tenant = relay.tenant();

      Reply reply = tenant.engine().get("/v1/connection", "X-Padding", "p".repeat(8_000));

      assertThat(reply.status()).isEqualTo(431);
      assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0109");
      // Jetty closes a connection whose request it could not parse, and the answer says so: no client reuses it.
      assertThat(reply.header("Connection")).isEqualTo("close");
      assertThat(tenant.engine().get("/v1/connection", "X-Padding", "p".repeat(2_000)).status()).isEqualTo(200);
    }
  }

  @Test
  void aClientThatSendsHeadersAndStallsTheBodyIsCutOff() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withIdleTimeout(Duration.ofSeconds(1)))) {
      TestRelay.Tenant tenant = relay.tenant();
      tenant.enrollAgent();
      long start = System.nanoTime();
      try (Socket socket = stall(relay.base(), "/v1/customers", "X-API-Key: " + tenant.apiKey())) {
        socket.setSoTimeout(10_000);
        String answer = readAll(socket.getInputStream());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        // Jetty may close before the 408 problem is written; either way the connection is gone.
        if (!answer.isEmpty()) {
          assertThat(answer).startsWith("HTTP/1.1 408").contains("FERRY-RELAY-0115");
        }
      }
    }
  }

  @Test
  void aHeldPollAndASyncWindowWaitOutlastTheIdleTimeout() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withIdleTimeout(Duration.ofSeconds(1))
        .withPollHold(Duration.ofSeconds(2)).withSyncWindow(Duration.ofSeconds(2)))) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = tenant.enrollAgent();

      long start = System.nanoTime();
      PollResponse empty = agent.poll(1);
      assertThat(empty.jobs()).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));

      Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON);
      assertThat(accepted.status()).isEqualTo(202);
    }
  }

  @Test
  void morePollsInProgressThanTheLimitAre429WithRetryAfter() throws Exception {
    // The stalled polls must stay open for the whole wait, which on a loaded machine can take a while.
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withMaxPollsPerAgent(2)
        .withIdleTimeout(Duration.ofSeconds(90)))) {
      FakeAgent agent = relay.tenant().enrollAgent();
      String auth1 = agent.authorization("POST", Protocol.POLL_PATH);
      String auth2 = agent.authorization("POST", Protocol.POLL_PATH);
      try (Socket a = stall(relay.base(), Protocol.POLL_PATH, "Authorization: " + auth1);
          Socket b = stall(relay.base(), Protocol.POLL_PATH, "Authorization: " + auth2)) {
        // Both stalled polls must be counted before the third comes: on a loaded machine Jetty may hand
        // a stalled request to its handler late, and a third poll sent meanwhile would take its place.
        Fixtures.await("the two stalled polls to be counted", Duration.ofSeconds(30),
            () -> relay.relay.pollsInProgress(agent.identity.agentId()) == 2);
        Reply third = pollNow(agent);
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.problem().code()).isEqualTo("FERRY-RELAY-0207");
        assertThat(third.header("Retry-After")).isEqualTo("1");
      }
      // The stalled polls ended with their connections: the agent polls again.
      Fixtures.await("polls to be counted out", Duration.ofSeconds(30), () -> pollNow(agent).status() == 200);
    }
  }

  @Test
  void anAgentsNormalPollTheOneReplacingItAndItsGoodbyeStayWithinTheLimit() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withMaxPollsPerAgent(1).withPollHold(Duration.ofSeconds(10)))) {
      FakeAgent agent = relay.tenant().enrollAgent();
      for (int round = 0; round < 3; round++) {
        CompletableFuture<PollResponse> held = agent.pollAsync(1, "run-" + round);
        Fixtures.await("the poll to park", Duration.ofSeconds(5), () -> relay.relay.waitingPolls() == 1);
        assertThat(agent.stopPolling("run-" + round).status()).isEqualTo(204);
        assertThat(held.get(5, TimeUnit.SECONDS).jobs()).isEmpty();
      }
      assertThat(pollNow(agent).status()).isEqualTo(200);
    }
  }

  private static Reply pollNow(FakeAgent agent) {
    return agent.postWith(agent.authorization("POST", Protocol.POLL_PATH), Protocol.POLL_PATH,
        new PollRequest(Protocol.VERSION, 1, 0, "0.1.0", "bapi", 0, null));
  }

  /** A POST whose headers arrive in full and whose body (200 bytes declared) never does. */
  private static Socket stall(URI base, String path, String header) throws IOException {
    Socket socket = new Socket(base.getHost(), base.getPort());
    OutputStream out = socket.getOutputStream();
    out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
        + "Content-Type: application/json\r\nContent-Length: 200\r\n" + header + "\r\n\r\n{\"prot")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  private static String readAll(InputStream in) throws IOException {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.net.SocketException reset) {
      return "";
    }
  }
}
