package io.ferry.agent.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.agent.proxy.ProxySettings;
import io.ferry.agent.tls.TlsSettings;
import io.ferry.protocol.AgentSession;
import io.ferry.protocol.AgentSessionToken;
import io.ferry.protocol.AgentToken;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.PollResponse;
import io.ferry.protocol.Protocol;
import io.ferry.testing.ManualClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An agent with a key pair signs one request to open a session and sends MACs after that; against a
 * relay without sessions, or one that refuses its session, it keeps working.
 */
class RelaySessionTest {

  private static final PollRequest POLL = new PollRequest(Protocol.VERSION, 1, 0, "test", "bapi", 0, null);
  private static final String SESSION = AgentSessionToken.session("01JD4Y6Q8V3T6R2M7K9X0B1C2D",
      Instant.now().plusSeconds(600).getEpochSecond(), "tag");
  private static final KeyPair AGENT_KEY = AgentToken.newKeyPair();
  private static final byte[] SECRET = "the session's secret, 32 bytes..".getBytes();
  /** Headers that stand for signatures; the fake relay does not check them, the relay's own tests do. */
  private static final Authorization SIGNER = new Authorization() {
    @Override
    public String header(String method, String path) {
      return "Ferry-Agent signed-for-" + method + "-" + path;
    }

    @Override
    public boolean signs() {
      return true;
    }

    @Override
    public byte[] unseal(AgentSession session) {
      return session.open(AGENT_KEY.getPrivate());
    }
  };

  private static AgentSession granted(String session) {
    return new AgentSession(session, AgentSession.seal(SECRET, AGENT_KEY.getPublic(), session), 600);
  }

  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger refusals = new AtomicInteger();
  private HttpServer relay;

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.stop(0);
    }
  }

  private RelayClient client(boolean sessions) throws IOException {
    AtomicInteger opened = new AtomicInteger();
    relay = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    relay.createContext("/", exchange -> {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      seen.add(exchange.getRequestURI().getPath() + " " + authorization.split(" ")[0]);
      exchange.getRequestBody().readAllBytes();
      if (exchange.getRequestURI().getPath().equals(Protocol.SESSION_PATH)) {
        if (!sessions) {
          answer(exchange, 404, "{\"status\":404,\"detail\":\"no such route\"}");
          return;
        }
        answer(exchange, 200, Protocol.json().writeValueAsString(
            granted(SESSION.replace(".tag", ".tag" + opened.incrementAndGet()))));
        return;
      }
      if (exchange.getRequestURI().getPath().equals(Protocol.STREAM_PATH)) {
        // A relay without streams: the agent's stream attempt must not take the refusal meant for a poll.
        answer(exchange, 404, "{\"status\":404,\"detail\":\"no such route\"}");
        return;
      }
      if (AgentSessionToken.isScheme(authorization) && refusals.getAndDecrement() > 0) {
        answer(exchange, 401, "{\"status\":401,\"detail\":\"the agent's session token is not valid\"}");
        return;
      }
      answer(exchange, 200, Protocol.json().writeValueAsString(new PollResponse(Protocol.VERSION, List.of())));
    });
    relay.start();
    return new RelayClient(URI.create("http://127.0.0.1:" + relay.getAddress().getPort()), SIGNER,
        Duration.ofSeconds(5), Duration.ofSeconds(5), TlsSettings.SYSTEM, ProxySettings.DIRECT);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes();
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** Polls until a poll went out inside a session (the session opens in the background). */
  private void pollUntilInSession(RelayClient client) throws Exception {
    for (int i = 0; i < 1_000 && !seen.contains(Protocol.POLL_PATH + " Ferry-Session"); i++) {
      client.poll(POLL);
      Thread.sleep(10);
    }
    assertThat(seen).contains(Protocol.POLL_PATH + " Ferry-Session");
  }

  // A copy: the session may be renewed in the background while a test reads, and a view of a
  // copy-on-write list breaks when the list changes under it.
  private List<String> after(String first) {
    List<String> now = List.copyOf(seen);
    return now.subList(now.indexOf(first), now.size());
  }

  private List<String> since(int index) {
    List<String> now = List.copyOf(seen);
    return now.subList(index, now.size());
  }

  @Test
  void oneSignedRequestOpensTheSessionAndTheRestCarryMacs() throws Exception {
    try (RelayClient client = client(true)) {
      pollUntilInSession(client);
      client.poll(POLL);
      client.poll(POLL);
    }
    assertThat(seen).filteredOn(r -> r.startsWith(Protocol.SESSION_PATH))
        .containsExactly(Protocol.SESSION_PATH + " Ferry-Agent");
    // Every request after the session opened carries its MAC; the stream's upgrade, which the client may try in
    // the background meanwhile, included.
    assertThat(after(Protocol.POLL_PATH + " Ferry-Session")).hasSizeGreaterThanOrEqualTo(3)
        .allMatch(r -> r.endsWith(" Ferry-Session"));
  }

  @Test
  void aRelayWithoutSessionsGetsSignedRequestsAndIsAskedOnce() throws Exception {
    try (RelayClient client = client(false)) {
      for (int i = 0; i < 20; i++) {
        client.poll(POLL);
        Thread.sleep(10);
      }
      for (int i = 0; i < 1_000 && seen.stream().noneMatch(r -> r.startsWith(Protocol.SESSION_PATH)); i++) {
        Thread.sleep(10); // the session is asked for in the background
      }
      client.poll(POLL);
    }
    assertThat(seen).filteredOn(r -> r.startsWith(Protocol.SESSION_PATH))
        .containsExactly(Protocol.SESSION_PATH + " Ferry-Agent");
    assertThat(seen).filteredOn(r -> r.startsWith(Protocol.POLL_PATH)).hasSize(21)
        .allMatch(r -> r.equals(Protocol.POLL_PATH + " Ferry-Agent"));
  }

  @Test
  void aRefusedSessionIsReplacedAndTheRequestSentAgainSigned() throws Exception {
    try (RelayClient client = client(true)) {
      pollUntilInSession(client);
      refusals.set(1);
      int before = seen.size();
      PollResponse answered = client.poll(POLL);
      assertThat(answered.jobs()).isEmpty();
      assertThat(since(before)).filteredOn(r -> r.startsWith(Protocol.POLL_PATH))
          .containsExactly(Protocol.POLL_PATH + " Ferry-Session", Protocol.POLL_PATH + " Ferry-Agent");
      for (int i = 0; i < 1_000 && !seen.get(seen.size() - 1).equals(Protocol.POLL_PATH + " Ferry-Session"); i++) {
        client.poll(POLL);
        Thread.sleep(10);
      }
    }
    assertThat(seen).filteredOn(r -> r.startsWith(Protocol.SESSION_PATH)).hasSize(2);
    assertThat(seen.get(seen.size() - 1)).isEqualTo(Protocol.POLL_PATH + " Ferry-Session");
  }

  @Test
  void aSessionIsRenewedAMinuteBeforeItEnds() {
    ManualClock clock = new ManualClock();
    AtomicInteger opened = new AtomicInteger();
    SessionAuthorization sessions = new SessionAuthorization(SIGNER, signed -> {
      opened.incrementAndGet();
      return granted(SESSION);
    }, clock, Runnable::run);

    assertThat(sessions.header("POST", Protocol.POLL_PATH)).startsWith("Ferry-Session ");
    clock.advance(Duration.ofSeconds(539));
    sessions.header("POST", Protocol.POLL_PATH);
    assertThat(opened).hasValue(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(sessions.header("POST", Protocol.POLL_PATH)).startsWith("Ferry-Session ");
    assertThat(opened).hasValue(2);
  }

  @Test
  void aSessionThatDoesNotOpenWithTheAgentsKeyIsNotUsed() {
    SessionAuthorization sessions = new SessionAuthorization(SIGNER,
        signed -> new AgentSession(SESSION, AgentSession.seal(SECRET, AgentToken.newKeyPair().getPublic(), SESSION), 600),
        Clock.systemUTC(), Runnable::run);

    assertThat(sessions.header("POST", Protocol.POLL_PATH)).startsWith("Ferry-Agent ");
  }

  @Test
  void aRelayOutOfReachJustNowIsAskedAgainHalfAMinuteLater() {
    ManualClock clock = new ManualClock();
    AtomicInteger asked = new AtomicInteger();
    SessionAuthorization sessions = new SessionAuthorization(SIGNER, signed -> {
      if (asked.incrementAndGet() == 1) {
        throw RelayException.of(RelayException.Kind.NETWORK, "connection refused", null);
      }
      return granted(SESSION);
    }, clock, Runnable::run);

    assertThat(sessions.header("POST", Protocol.POLL_PATH)).startsWith("Ferry-Agent ");
    assertThat(sessions.header("POST", Protocol.POLL_PATH)).startsWith("Ferry-Agent ");
    assertThat(asked).hasValue(1);
    clock.advance(SessionAuthorization.RETRY_AFTER_FAILURE);
    assertThat(sessions.header("POST", Protocol.POLL_PATH)).startsWith("Ferry-Session ");
  }
}
