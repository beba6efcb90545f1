package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.AgentSession;
import io.ferry.protocol.AgentSessionToken;
import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.JobSignature;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.ResultBatch;
import io.ferry.protocol.StreamAnswer;
import io.ferry.protocol.StreamRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's stream over a real WebSocket on loopback: polls and result batches on one connection, answered as
 * the HTTP routes answer them, opened only in a session, and ended when the session no longer stands.
 */
class AgentStreamTest {

  @TempDir
  Path dataDir;

  private static final ObjectMapper JSON = Protocol.json();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static PollRequest poll(int holdSeconds) {
    return new PollRequest(Protocol.VERSION, 4, 0, "0.1.0", "bapi", holdSeconds, null);
  }

  /** A WebSocket client that keeps what the relay sends and how it closed. */
  private static final class Stream implements WebSocket.Listener {
    final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    static Stream open(URI base, String authorization) {
      Stream s = new Stream();
      s.socket = HTTP.newWebSocketBuilder().header("Authorization", authorization)
          .connectTimeout(Duration.ofSeconds(5))
          .buildAsync(URI.create(base.toString().replaceFirst("^http", "ws") + Protocol.STREAM_PATH), s)
          .join();
      return s;
    }

    void send(StreamRequest request) throws Exception {
      socket.sendText(JSON.writeValueAsString(request), true).get(5, TimeUnit.SECONDS);
    }

    StreamAnswer next() throws Exception {
      String text = received.poll(10, TimeUnit.SECONDS);
      assertThat(text).as("an answer on the stream within 10 s").isNotNull();
      return JSON.readValue(text, StreamAnswer.class);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }
  }

  /** A session as the agent holds it: its name and the secret it opened with its private key. */
  private record Opened(String session, byte[] secret) {}

  private static Opened openSession(FakeAgent agent) {
    Reply reply = agent.postWith(agent.authorization("POST", Protocol.SESSION_PATH), Protocol.SESSION_PATH, Map.of());
    assertThat(reply.status()).isEqualTo(200);
    AgentSession answer = reply.as(AgentSession.class);
    return new Opened(answer.session(), answer.open(agent.keys.getPrivate()));
  }

  private static String upgradeIn(Opened session) {
    return AgentSessionToken.header(session.session(), session.secret(), "GET", Protocol.STREAM_PATH, Instant.now());
  }

  @Test
  void aJobGoesOutAndItsResultComesBackOnOneStream() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Opened session = openSession(agent);
      Stream stream = Stream.open(relay.base(), upgradeIn(session));

      Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      assertThat(accepted.status()).isEqualTo(202);
      stream.send(StreamRequest.poll(7, poll(5)));
      StreamAnswer polled = stream.next();
      assertThat(polled.id()).isEqualTo(7);
      assertThat(polled.problem()).isNull();
      assertThat(polled.jobs().jobs()).hasSize(1);
      JobEnvelope job = polled.jobs().jobs().getFirst();
      assertThat(JobSignature.sessionOf(job)).as("signed with the stream's session").contains(session.session());
      assertThat(JobSignature.verifyMac(session.secret(), job)).isTrue();

      Customer created = Fixtures.created(job.customer(), "0000100042");
      stream.send(StreamRequest.results(8, new ResultBatch(Protocol.VERSION, List.of(JobResult.succeeded(job, created)))));
      StreamAnswer receipts = stream.next();
      assertThat(receipts.id()).isEqualTo(8);
      assertThat(receipts.receipts().receipts()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(204));

      Reply operation = tenant.engine().get(accepted.header("Location"));
      assertThat(operation.status()).as("the operation answers as the create would have").isEqualTo(201);
      assertThat(operation.body()).contains("0000100042");

      // A resend of the same result (the agent did not hear the receipt) is taken as taken, not twice.
      stream.send(StreamRequest.results(9, new ResultBatch(Protocol.VERSION, List.of(JobResult.succeeded(job, created)))));
      assertThat(stream.next().receipts().receipts().getFirst().status()).isEqualTo(204);
    }
  }

  @Test
  void aHeldPollAndAResultBatchAreAnsweredSideBySide() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Stream stream = Stream.open(relay.base(), upgradeIn(openSession(agent)));
      tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      stream.send(StreamRequest.poll(1, poll(0)));
      JobEnvelope job = stream.next().jobs().jobs().getFirst();

      stream.send(StreamRequest.poll(2, poll(20))); // held: nothing is queued
      stream.send(StreamRequest.results(3, new ResultBatch(Protocol.VERSION,
          List.of(JobResult.succeeded(job, Fixtures.created(job.customer(), "0000100043"))))));
      StreamAnswer first = stream.next();
      assertThat(first.id()).as("the batch is answered while the poll is held").isEqualTo(3);

      tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      StreamAnswer held = stream.next();
      assertThat(held.id()).isEqualTo(2);
      assertThat(held.jobs().jobs()).hasSize(1);
    }
  }

  @Test
  void aPollOnAStreamIsHeldAsLongAsItAsksAndItsAgentStaysOnlineMeanwhile() throws Exception {
    // relay.poll-hold 1 s and relay.agent-offline-after 2 s: an HTTP long poll would be answered after 1 s, and an
    // agent not heard from for 2 s would count as offline.
    try (TestRelay relay = TestRelay.start(dataDir,
        c -> c.withPollHold(Duration.ofSeconds(1)).withAgentOfflineAfter(Duration.ofSeconds(2)))) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Stream stream = Stream.open(relay.base(), upgradeIn(openSession(agent)));
      stream.send(StreamRequest.poll(1, poll(30)));

      assertThat(stream.received.poll(5, TimeUnit.SECONDS)).as("held past relay.poll-hold, as the poll asked").isNull();
      Reply connection = tenant.engine().get("/v1/connection");
      assertThat(connection.status()).isEqualTo(200);
      assertThat(JSON.readTree(connection.body()).get("agentOnline").asBoolean())
          .as("online 5 s after its only poll: the parked poll counts as its heartbeat").isTrue();

      tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      StreamAnswer held = stream.next();
      assertThat(held.id()).isEqualTo(1);
      assertThat(held.jobs().jobs()).as("the held poll takes the job the moment it is queued").hasSize(1);
    }
  }

  @Test
  void aPollOnAStreamThatDoesNotSayHowLongIsHeldForTheRelaysHold() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withPollHold(Duration.ofSeconds(1)))) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Stream stream = Stream.open(relay.base(), upgradeIn(openSession(agent)));
      long sent = System.nanoTime();
      stream.send(StreamRequest.poll(1, new PollRequest(Protocol.VERSION, 4, 0, "0.1.0", "bapi", null, null)));

      assertThat(stream.next().jobs().jobs()).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("relay.poll-hold, as for an HTTP long poll")
          .isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aStreamOpensOnlyInASessionAndRefusalsAreProblems() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      assertThat(refusedUpgrade(relay.base(), agent.authorization("GET", Protocol.STREAM_PATH)))
          .as("signed with the agent's key, not in a session").isEqualTo(401);
      assertThat(refusedUpgrade(relay.base(), "Bearer nothing")).isEqualTo(401);
      Opened session = openSession(agent);
      assertThat(refusedUpgrade(relay.base(), AgentSessionToken.header(session.session(), session.secret(), "POST",
          Protocol.POLL_PATH, Instant.now()))).as("a session token made for another path").isEqualTo(401);
    }
  }

  @Test
  void aStreamOfADisabledAgentEndsAtItsNextPoll() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Stream stream = Stream.open(relay.base(), upgradeIn(openSession(agent)));
      stream.send(StreamRequest.poll(1, poll(0)));
      assertThat(stream.next().jobs().jobs()).isEmpty();

      assertThat(relay.relay.admin().disableAgent(tenant.id(), agent.identity.agentId())).isTrue();
      stream.send(StreamRequest.poll(2, poll(0)));
      StreamAnswer refused = stream.next();
      assertThat(refused.problem().status()).isEqualTo(401);
      assertThat(refused.problem().detail()).contains("session ended");
      assertThat(stream.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
    }
  }

  @Test
  void disablingAnAgentAnswersThePollItHasParkedAndEndsItsStream() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant tenant = relay.tenant();
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), tenant.enrollmentToken());
      Stream stream = Stream.open(relay.base(), upgradeIn(openSession(agent)));
      stream.send(StreamRequest.poll(1, poll(300))); // parked for minutes: no job is queued
      assertThat(stream.received.poll(1, TimeUnit.SECONDS)).as("parked").isNull();

      assertThat(relay.relay.admin().disableAgent(tenant.id(), agent.identity.agentId())).isTrue();

      StreamAnswer released = stream.next();
      assertThat(released.id()).isEqualTo(1);
      assertThat(released.jobs().jobs()).as("answered at once, and with no job").isEmpty();
      Reply created = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      assertThat(created.status()).as("no agent online: the disabled one is offline at once").isEqualTo(503);
      stream.send(StreamRequest.poll(2, poll(300)));
      assertThat(stream.next().problem().status()).isEqualTo(401);
      assertThat(stream.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
    }
  }

  @Test
  void somethingThatIsNotAStreamRequestClosesTheStream() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), relay.tenant().enrollmentToken());
      Stream stream = Stream.open(relay.base(), upgradeIn(openSession(agent)));
      stream.socket.sendText("{\"id\":1,\"poll\":{}} trailing", true).get(5, TimeUnit.SECONDS);
      assertThat(stream.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1007);

      Stream second = Stream.open(relay.base(), upgradeIn(openSession(agent)));
      second.send(new StreamRequest(5, null, null));
      StreamAnswer neither = second.next();
      assertThat(neither.problem().status()).isEqualTo(400);
      assertThat(neither.problem().detail()).contains("exactly one of poll and results");
    }
  }

  @Test
  void noCompressionIsNegotiatedForAStream() throws Exception {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), relay.tenant().enrollmentToken());
      CompletableFuture<okhttp3.Response> upgraded = new CompletableFuture<>();
      okhttp3.WebSocket socket = Http.CLIENT.newWebSocket(new okhttp3.Request.Builder()
          .url(relay.base() + Protocol.STREAM_PATH).header("Authorization", upgradeIn(openSession(agent))).build(),
          new okhttp3.WebSocketListener() {
            @Override
            public void onOpen(okhttp3.WebSocket webSocket, okhttp3.Response response) {
              upgraded.complete(response);
            }

            @Override
            public void onFailure(okhttp3.WebSocket webSocket, Throwable t, okhttp3.Response response) {
              upgraded.completeExceptionally(t);
            }
          });
      okhttp3.Response response = upgraded.get(10, TimeUnit.SECONDS);
      assertThat(response.code()).isEqualTo(101);
      assertThat(response.header("Sec-WebSocket-Extensions")).as("permessage-deflate offered, not taken").isNull();
      socket.close(1000, null);
    }
  }

  /** The HTTP status the relay refused a stream's upgrade with. */
  private static int refusedUpgrade(URI base, String authorization) {
    try {
      Stream.open(base, authorization);
      throw new AssertionError("the upgrade was accepted");
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }
}
