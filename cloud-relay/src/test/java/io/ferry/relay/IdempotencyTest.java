package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotency-Key on writes: retries get the first outcome, never a second job. */
class IdempotencyTest {

  @TempDir
  static Path dataDir;
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c.withPollHold(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void threeRetriesOfACreateWithOneKeyReachTheAgentOnceAndAllCarryTheSameCustomerNumber() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();

    CompletableFuture<Reply> first = engine.postAsync("/v1/customers", Fixtures.CUSTOMER_JSON, "Idempotency-Key", "CRM-4711");
    JobEnvelope job = agent.takeOne();
    agent.succeed(job, Fixtures.created(job.customer(), "0000100001"));
    Reply one = first.get(15, TimeUnit.SECONDS);
    // The same request again, once with its members in another order: the fingerprint is of canonical JSON.
    Reply two = engine.post("/v1/customers", Fixtures.CUSTOMER_JSON, "Idempotency-Key", "CRM-4711");
    Reply three = engine.post("/v1/customers", reordered(), "Idempotency-Key", "\"CRM-4711\"");

    for (Reply r : List.of(one, two, three)) {
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.as(Customer.class).customerNumber()).isEqualTo("0000100001");
      assertThat(r.header("Location")).isEqualTo("/v1/customers/0000100001");
      assertThat(r.header("ETag")).isEqualTo(one.header("ETag"));
    }
    assertThat(one.header("Idempotent-Replayed")).isNull();
    assertThat(two.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(agent.poll(5).jobs()).as("no second job").isEmpty();
  }

  @Test
  void aRepeatWhileTheFirstIsStillRunningIs409WithRetryAfter() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();

    Reply accepted = engine.post("/v1/customers", Fixtures.CUSTOMER_JSON, "Idempotency-Key", "k-409", "Prefer", "respond-async");
    assertThat(accepted.status()).isEqualTo(202);
    agent.takeOne();
    Reply repeat = engine.post("/v1/customers", Fixtures.CUSTOMER_JSON, "Idempotency-Key", "k-409");

    assertThat(repeat.status()).isEqualTo(409);
    assertThat(repeat.problem().code()).isEqualTo("FERRY-RELAY-0112");
    assertThat(repeat.problem().retryable()).isTrue();
    assertThat(repeat.header("Retry-After")).isEqualTo("1");
    assertThat(repeat.problem().detail()).contains(accepted.json().get("id").asText());
  }

  @Test
  void theSameKeyWithAnotherPayloadIs422() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();
    Engine engine = tenant.engine();
    engine.post("/v1/customers", Fixtures.CUSTOMER_JSON, "Idempotency-Key", "k-422", "Prefer", "respond-async");

    Reply other = engine.post("/v1/customers", Fixtures.CUSTOMER_JSON.replace("Walldorf", "Berlin"), "Idempotency-Key", "k-422");

    assertThat(other.status()).isEqualTo(422);
    assertThat(other.problem().code()).isEqualTo("FERRY-RELAY-0111");
    assertThat(other.problem().type()).isEqualTo("https://ferry.dev/problems/idempotency-key-reused");
    assertThat(other.problem().errors()).extracting(e -> e.field()).containsExactly("Idempotency-Key");
  }

  @Test
  void anEmptyOrOverlongKeyIs400() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();
    for (String key : List.of("\"\"", "x".repeat(256))) {
      Reply r = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Idempotency-Key", key);
      assertThat(r.status()).as(key).isEqualTo(400);
      assertThat(r.problem().code()).isEqualTo("FERRY-RELAY-0110");
      assertThat(r.problem().errors()).extracting(e -> e.field()).containsExactly("Idempotency-Key");
    }
    assertThat(tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Idempotency-Key", "x".repeat(255),
        "Prefer", "respond-async").status()).isEqualTo(202);
  }

  @Test
  void concurrentIdenticalRequestsCreateOneJob() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine engine = tenant.engine();
    int n = 6;
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      replies.add(Http.async(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return engine.post("/v1/customers", Fixtures.CUSTOMER_JSON, "Idempotency-Key", "same-instant", "Prefer", "respond-async");
      }));
    }
    go.countDown();
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<Reply> r : replies) {
      statuses.add(r.get(15, TimeUnit.SECONDS).status());
    }

    assertThat(statuses).containsOnly(202, 409);
    assertThat(statuses.stream().filter(s -> s == 202)).hasSize(1);
    assertThat(agent.poll(10).jobs()).hasSize(1);
    assertThat(agent.poll(10).jobs()).isEmpty();
  }

  @Test
  void readsIgnoreTheHeaderAndAGetIsNeverReplayed() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    CompletableFuture<Reply> read = tenant.engine().getAsync("/v1/customers/100001", "Idempotency-Key", "r");
    agent.succeed(agent.takeOne(), Fixtures.sample("0000100001"));
    assertThat(read.get(15, TimeUnit.SECONDS).status()).isEqualTo(200);
    CompletableFuture<Reply> again = tenant.engine().getAsync("/v1/customers/100001", "Idempotency-Key", "r");
    agent.succeed(agent.takeOne(), Fixtures.sample("0000100001"));
    assertThat(again.get(15, TimeUnit.SECONDS).header("Idempotent-Replayed")).isNull();
  }

  @Test
  void aKeyOlderThanTheRetentionCountsAsNew(@TempDir Path ownDir) throws Exception {
    ManualClock clock = ManualClock.now();
    try (TestRelay own = TestRelay.start(ownDir, c -> c.withPollHold(Duration.ofSeconds(1))
        .withIdempotencyRetention(Duration.ofHours(24)), clock)) {
      TestRelay.Tenant tenant = own.tenant();
      FakeAgent agent = tenant.enrollAgent();
      CompletableFuture<Reply> first = tenant.engine().postAsync("/v1/customers", Fixtures.CUSTOMER_JSON, "Idempotency-Key", "old");
      JobEnvelope job = agent.takeOne();
      agent.succeed(job, Fixtures.created(job.customer(), "0000100001"));
      assertThat(first.get(15, TimeUnit.SECONDS).status()).isEqualTo(201);

      clock.advance(Duration.ofHours(24).plusSeconds(1));
      // The agent polls at the new time first, so it counts as online when the request arrives.
      var poll = agent.pollAsync(1);
      Fixtures.await("a parked poll", Duration.ofSeconds(5), () -> own.relay.waitingPolls() > 0);
      CompletableFuture<Reply> later = tenant.engine().postAsync("/v1/customers", Fixtures.CUSTOMER_JSON, "Idempotency-Key", "old");
      JobEnvelope second = poll.get(15, TimeUnit.SECONDS).jobs().get(0);
      assertThat(second.jobId()).isNotEqualTo(job.jobId());
      agent.succeed(second, Fixtures.created(second.customer(), "0000100002"));
      Reply reply = later.get(15, TimeUnit.SECONDS);
      assertThat(reply.status()).isEqualTo(201);
      assertThat(reply.header("Idempotent-Replayed")).isNull();
    }
  }

  private static String reordered() {
    return """
        {"salesArea":{"division":"00","distributionChannel":"10","salesOrganization":"1000"},"companyCode":"1000",
         "email":"info@muster.example","currency":"EUR","language":"de","country":"DE","city":"Walldorf",
         "postalCode":"69190","houseNumber":"5","street":"Hauptstrasse","name":"Muster GmbH","externalId":"CRM-4711"}""";
  }
}
