package io.ferry.relay;

import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.store.TestStore;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.PollResponse;
import io.ferry.protocol.Customer;
import io.ferry.testing.TestPostgres;
import java.io.UncheckedIOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relays on one PostgreSQL database, in one process over real loopback HTTP: a job accepted by one
 * reaches an agent polling the other, and one relay halting in the middle of a run loses no job while
 * the other keeps answering. Both relays use one data directory: they share the keys kept there
 * (relay.key, the job-signing key), as docs/scaling.md asks.
 */
class TwoRelaysTest {

  @TempDir
  Path dataDir;
  private TestPostgres db;
  private Relay a;
  private Relay b;
  private String apiKey;
  private String tenantId;

  @BeforeEach
  void start() {
    db = TestPostgres.create("two_relays");
    RelayConfig config = TestRelay.config(dataDir).toBuilder()
        .store(TestStore.settings(db))
        .pollHold(Duration.ofSeconds(2))
        .syncWindow(Duration.ofSeconds(10))
        .leaseDuration(Duration.ofSeconds(30))
        .build();
    a = Relay.start(config);
    b = Relay.start(config);
    tenantId = a.admin().createTenant("acme");
    apiKey = a.admin().createApiKey(tenantId).key();
  }

  @AfterEach
  void stop() {
    try {
      a.close();
      b.close();
    } finally {
      db.close();
    }
  }

  private String enrollmentToken() {
    return a.admin().createEnrollmentToken(tenantId, "default", Duration.ofMinutes(10));
  }

  @Test
  void aJobAcceptedByOneRelayReachesAnAgentPollingTheOtherAndTheFirstAnswersTheEngine() throws Exception {
    FakeAgent agentOnB = FakeAgent.enrollWithKeyPair(b.baseUrl(), enrollmentToken());
    // Held for the relay's whole hold (2 s) unless a job wakes it: a job accepted by A must wake it.
    CompletableFuture<PollResponse> poll = agentOnB.pollAsync(1);
    Fixtures.await("the agent's poll to park on relay B", Duration.ofSeconds(10), () -> b.waitingPolls() == 1);

    CompletableFuture<Reply> created = new Engine(a.baseUrl(), apiKey).postAsync("/v1/customers", Fixtures.CUSTOMER_JSON);
    PollResponse got = poll.get(15, TimeUnit.SECONDS);

    assertThat(got.jobs()).as("the job A accepted, handed out by B").hasSize(1);
    JobEnvelope job = got.jobs().get(0);
    assertThat(agentOnB.succeed(job, Fixtures.created(job.customer(), "0000200001")).status()).isEqualTo(204);
    Reply reply = created.get(15, TimeUnit.SECONDS);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.as(Customer.class).customerNumber()).isEqualTo("0000200001");
    assertThat(new Engine(b.baseUrl(), apiKey).get("/v1/operations/" + job.jobId()).status()).isEqualTo(201);
  }

  /**
   * Each relay keeps the keys it read for a few seconds (no database read per request): a key revoked on
   * one relay is refused there at once, and on the other within that bound (docs/security.md).
   */
  @Test
  void aKeyRevokedOnOneRelayIsRefusedThereAtOnceAndOnTheOtherWithinTheBound() {
    Engine onA = new Engine(a.baseUrl(), apiKey);
    Engine onB = new Engine(b.baseUrl(), apiKey);
    assertThat(onA.get("/v1/operations/" + io.ferry.relay.store.Ulid.next()).status()).as("known on A").isEqualTo(404);
    assertThat(onB.get("/v1/operations/" + io.ferry.relay.store.Ulid.next()).status()).as("known on B").isEqualTo(404);

    a.admin().revokeApiKey(apiKey);

    assertThat(onA.get("/v1/operations/" + io.ferry.relay.store.Ulid.next()).status()).isEqualTo(401);
    // Not a timing assertion: five seconds is the bound, the rest slack for a busy machine.
    Fixtures.await("relay B to refuse the revoked key", Duration.ofSeconds(15),
        () -> onB.get("/v1/operations/" + io.ferry.relay.store.Ulid.next()).status() == 401);
  }

  @Test
  void aRelayWithKeysOtherThanThoseOfTheRelaysSharingTheDatabaseRefusesToStart(@TempDir Path otherDataDir) {
    RelayConfig config = TestRelay.config(otherDataDir).toBuilder().store(TestStore.settings(db)).build();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Relay.start(config).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("relay.key and job-signing-key.pem in " + otherDataDir.toAbsolutePath() + " differ")
        .hasMessageContaining("copy relay.key and job-signing-key.pem from the data directory of a running relay");
  }

  /**
   * Engines write through both relays, agents poll both; one relay halts a third of the way through.
   * Engines and agents that lose it go on through the other, as behind a load balancer: every request
   * ends with its customer, each in exactly one job, and no job is left behind.
   */
  @Test
  void haltingOneOfTwoRelaysInTheMiddleOfARunLosesNoJobAndTheOtherKeepsAnswering() throws Exception {
    int requests = 24;
    AtomicBoolean aDown = new AtomicBoolean();
    AtomicBoolean stopAgents = new AtomicBoolean();
    Map<String, AtomicInteger> ranByAgents = new ConcurrentHashMap<>();
    AtomicInteger numbers = new AtomicInteger(300_000);
    List<Thread> agents = new ArrayList<>();
    for (Relay home : List.of(a, b)) {
      FakeAgent agent = FakeAgent.enrollWithKeyPair(home.baseUrl(), enrollmentToken());
      FakeAgent survivor = agent.at(b.baseUrl());
      Thread t = new Thread(() -> {
        while (!stopAgents.get()) {
          FakeAgent via = aDown.get() ? survivor : agent;
          try {
            Reply polled = via.pollRaw(5);
            if (polled.status() != 200) {
              continue;
            }
            for (JobEnvelope job : polled.as(PollResponse.class).jobs()) {
              ranByAgents.computeIfAbsent(job.jobId(), id -> new AtomicInteger()).incrementAndGet();
              Customer done = Fixtures.created(job.customer(), String.format("%010d", numbers.incrementAndGet()));
              while (!stopAgents.get()) {
                try {
                  if ((aDown.get() ? survivor : via).succeed(job, done).status() == 204) {
                    break;
                  }
                } catch (UncheckedIOException lost) {
                  // the relay went away with the result unsent: send it through the other one
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // a retrying agent's back-off
              }
            }
          } catch (UncheckedIOException lost) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // the poll's relay went away
          }
        }
      }, "agent-via-" + home.port());
      t.setDaemon(true);
      t.start();
      agents.add(t);
    }

    CountDownLatch third = new CountDownLatch(requests / 3);
    List<CompletableFuture<Reply>> calls = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      String key = "order-" + i;
      boolean viaA = i % 2 == 0;
      calls.add(Http.async(() -> {
        Reply r = createUntilDone(key, viaA, aDown);
        third.countDown();
        return r;
      }));
    }
    assertThat(third.await(60, TimeUnit.SECONDS)).as("a third of the requests answered").isTrue();
    aDown.set(true);
    a.halt();

    for (CompletableFuture<Reply> call : calls) {
      Reply r = call.get(120, TimeUnit.SECONDS);
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.as(Customer.class).customerNumber()).isNotBlank();
    }
    // The engine API keeps answering through B: new requests after the halt, and earlier jobs' outcomes.
    int after = 6;
    for (int i = 0; i < after; i++) {
      Reply r = createUntilDone("after-" + i, true, aDown);
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
    stopAgents.set(true);
    for (Thread t : agents) {
      t.join(10_000);
    }

    Map<String, Integer> states = jobStates();
    assertThat(states).as("every request is one job, and every job succeeded")
        .isEqualTo(Map.of("SUCCEEDED", requests + after));
    assertThat(ranByAgents).hasSize(requests + after);
    assertThat(new Engine(b.baseUrl(), apiKey).get("/v1/operations/" + ranByAgents.keySet().iterator().next())
        .status()).isEqualTo(201);
  }

  /**
   * What an engine does behind a load balancer: the same request with the same Idempotency-Key until it
   * has an answer; a relay that is gone is skipped, a 409 (the first attempt still runs) or 202 retried.
   */
  private Reply createUntilDone(String key, boolean viaA, AtomicBoolean aDown) {
    long deadline = System.nanoTime() + Duration.ofSeconds(110).toNanos();
    while (System.nanoTime() < deadline) {
      Relay relay = viaA && !aDown.get() ? a : b;
      try {
        Reply r = new Engine(relay.baseUrl(), apiKey).post("/v1/customers", Fixtures.CUSTOMER_JSON,
            "Idempotency-Key", key);
        if (r.status() == 201) {
          return r;
        }
        if (r.status() != 202 && r.status() != 409 && r.status() != 503) {
          throw new AssertionError("unexpected answer for " + key + ": " + r.status() + " " + r.body());
        }
      } catch (UncheckedIOException lost) {
        // the relay went away while the request waited: ask again, through the other one
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // an engine's retry interval
    }
    throw new AssertionError("no answer for " + key + " in 110 s");
  }

  private Map<String, Integer> jobStates() throws Exception {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT state, COUNT(*) FROM jobs GROUP BY state")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getInt(2));
      }
    }
    return out;
  }

  /** The change feed is the database's: numbered there, read through either relay, a cursor of one good on the other. */
  @Test
  void changesPostedToBothRelaysAreOneFeedReadableThroughEitherWithTheOthersCursor() {
    FakeAgent agentOnA = FakeAgent.enrollWithKeyPair(a.baseUrl(), enrollmentToken());
    FakeAgent agentOnB = agentOnA.at(b.baseUrl());
    java.time.Instant t = java.time.Instant.parse("2026-12-07T09:00:00Z");
    var first = io.ferry.protocol.change.ChangeEvent.of("customer.created", "0000100001", null, t, null);
    var second = io.ferry.protocol.change.ChangeEvent.of("customer.changed", "0000100001", null, t.plusSeconds(1), null);
    String path = io.ferry.protocol.Protocol.CHANGES_PATH;
    assertThat(agentOnA.postWith(agentOnA.authorization("POST", path), path, new io.ferry.protocol.change.ChangeBatch(
        io.ferry.protocol.Protocol.VERSION, List.of(first))).status()).isEqualTo(200);
    Reply viaB = agentOnB.postWith(agentOnB.authorization("POST", path), path,
        new io.ferry.protocol.change.ChangeBatch(io.ferry.protocol.Protocol.VERSION, List.of(first, second)));
    assertThat(viaB.as(io.ferry.protocol.change.ChangeReceipt.class).repeated()).isEqualTo(1);

    Reply pageOnA = new Engine(a.baseUrl(), apiKey).get("/v1/customer-changes?top=1");
    assertThat(pageOnA.json().get("value").get(0).get("id").asText()).isEqualTo(first.id());
    Reply pageOnB = new Engine(b.baseUrl(), apiKey).get("/v1/customer-changes?cursor="
        + pageOnA.header("Ferry-Cursor"));
    assertThat(pageOnB.status()).isEqualTo(200);
    assertThat(pageOnB.json().get("value")).hasSize(1);
    assertThat(pageOnB.json().get("value").get(0).get("id").asText()).isEqualTo(second.id());
  }

  /**
   * Both relays run a subscription sender on one PostgreSQL: the lease lets one post a subscription's events at a
   * time, so changes posted through either relay reach the receiver once each, in feed order.
   */
  @Test
  void twoRelaysDeliverOneSubscriptionOnceEachInFeedOrder() throws Exception {
    java.util.concurrent.BlockingQueue<String> ids = new java.util.concurrent.LinkedBlockingQueue<>();
    com.sun.net.httpserver.HttpServer receiver =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      ids.add(exchange.getRequestHeaders().getFirst("webhook-id"));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    a.close();
    b.close();
    RelayConfig loopback = TestRelay.config(dataDir).toBuilder().store(TestStore.settings(db)).callbackLoopback(true)
        .build();
    a = Relay.start(loopback);
    b = Relay.start(loopback);
    try {
      Reply made = new Engine(a.baseUrl(), apiKey).post("/v1/subscriptions", "{\"events\":[\"customer.changed\"],"
          + "\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\"}");
      assertThat(made.status()).as(made.toString()).isEqualTo(201);
      FakeAgent agentOnA = FakeAgent.enrollWithKeyPair(a.baseUrl(), enrollmentToken());
      FakeAgent agentOnB = agentOnA.at(b.baseUrl());
      String path = io.ferry.protocol.Protocol.CHANGES_PATH;
      java.time.Instant t = java.time.Instant.parse("2026-12-07T09:00:00Z");
      List<String> posted = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        FakeAgent agent = i % 2 == 0 ? agentOnA : agentOnB;
        var change = io.ferry.protocol.change.ChangeEvent.of("customer.changed", "00001000" + (10 + i), null,
            t.plusSeconds(i), null);
        posted.add(change.id());
        assertThat(agent.postWith(agent.authorization("POST", path), path, new io.ferry.protocol.change.ChangeBatch(
            io.ferry.protocol.Protocol.VERSION, List.of(change))).status()).isEqualTo(200);
      }
      List<String> got = new java.util.ArrayList<>();
      for (int i = 0; i < posted.size(); i++) {
        String id = ids.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(id).as("delivery " + (i + 1)).isNotNull();
        got.add(id);
      }
      assertThat(got).containsExactlyElementsOf(posted);
      assertThat(ids.poll(2, java.util.concurrent.TimeUnit.SECONDS)).as("none twice").isNull();
    } finally {
      receiver.stop(0);
    }
  }
}
