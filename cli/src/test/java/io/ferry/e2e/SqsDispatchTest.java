package io.ferry.e2e;

import io.ferry.relay.config.RelayConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPatch;
import io.ferry.sqs.SqsClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What SQS dispatch promises beyond the end-to-end tests both modes pass ({@link CustomerLifecycleTest}): changes
 * of one customer arrive in SAP in the order the engine sent them, a slow SAP call keeps its job (the message's
 * visibility is extended), and a job whose message keeps coming back ends DEAD through the dead-letter queue.
 * Against a real SQS-compatible server (ElasticMQ, embedded).
 */
class SqsDispatchTest {

  @TempDir Path dir;
  private FerryStack stack;
  private FaultySqs faulty;

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
    if (faulty != null) {
      faulty.close(); // after the relay that talks through it
    }
  }

  @Test
  void changesOfOneCustomerReachSapInTheOrderTheEngineSentThem() throws Exception {
    List<String> cities = Collections.synchronizedList(new ArrayList<>());
    stack = new FerryStack(dir, FerryStack.Sap.BAPI, Duration.ofSeconds(10), sap -> new CityRecorder(sap, cities))
        .withDispatch(FerryStack.Dispatch.SQS).withAgent(c -> c.withWorkers(8)).start();
    Engine engine = new Engine(stack.url(), stack.apiKey());
    String number = engine.post("/v1/customers", CustomerLifecycleTest.customer("40", "DE", ""))
        .body().get("customerNumber").asText();

    // Sent one after the other without waiting: they sit in the queue together, and the agent (8 workers, up to
    // 10 messages per receive) would run them side by side if nothing kept their order.
    List<String> locations = new ArrayList<>();
    List<String> sent = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      String city = "City-" + i;
      sent.add(city);
      locations.add(engine.patch("/v1/customers/" + number, "{\"city\":\"" + city + "\"}", "Prefer", "respond-async")
          .header("Location"));
    }
    for (String location : locations) {
      assertThat(engine.awaitOperation(location, Duration.ofSeconds(30)).status()).isEqualTo(200);
    }

    assertThat(cities).as("the order the updates reached SAP").containsExactlyElementsOf(sent);
    assertThat(engine.get("/v1/customers/" + number).body().get("city").asText()).isEqualTo("City-12");
  }

  @Test
  void aSlowSapCallKeepsItsJobLongerThanTheVisibilityTimeout() throws Exception {
    Duration lease = Duration.ofSeconds(2);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch secondCall = new CountDownLatch(2);
    stack = new FerryStack(dir, FerryStack.Sap.BAPI, Duration.ofSeconds(1), sap -> new HeldSap(sap, release, secondCall))
        .withDispatch(FerryStack.Dispatch.SQS)
        .withRelay(c -> c.withLeaseDuration(lease))
        .withAgent(c -> c.withLeaseRenewEvery(Duration.ofMillis(500)))
        .start();
    Engine engine = new Engine(stack.url(), stack.apiKey());
    int creates = stack.sapCreates();

    String location = engine.post("/v1/customers", CustomerLifecycleTest.customer("41", "DE", ""), "Prefer",
        "respond-async").header("Location");

    // SAP holds the create for four visibility timeouts. Without the extension the message would come back and
    // reach SAP a second time (a look-up by external id, then the create): the latch would open.
    assertThat(secondCall.await(lease.multipliedBy(4).toMillis(), TimeUnit.MILLISECONDS))
        .as("the job reached SAP once and was not delivered again while it ran").isFalse();
    assertThat(secondCall.getCount()).as("the job reached SAP").isEqualTo(1);

    release.countDown();
    Engine.Answer done = engine.awaitOperation(location, Duration.ofSeconds(20));
    assertThat(done.status()).isEqualTo(201);
    assertThat(stack.sapCreates()).isEqualTo(creates + 1);
  }

  @Test
  void aJobWhoseMessageKeepsComingBackWithoutAResultIsDead() throws Exception {
    stack = new FerryStack(dir, FerryStack.Sap.BAPI).withDispatch(FerryStack.Dispatch.SQS)
        .withRelay(c -> c.withMaxAttempts(2)).start();
    Engine engine = new Engine(stack.url(), stack.apiKey());
    stack.stopAgent(); // an agent that takes the job and dies before it answers, twice: played by this test

    String location = engine.post("/v1/customers", CustomerLifecycleTest.customer("42", "DE", ""), "Prefer",
        "respond-async").header("Location");

    String jobs = stack.sqs().queues(stack.tenant(), "default").jobs();
    int received = 0;
    try (SqsClient sqs = SqsClients.open(stack.sqs())) {
      String url = sqs.getQueueUrl(b -> b.queueName(jobs)).queueUrl();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      // Received and never deleted, each time for a second only: after relay.max-attempts receives, SQS moves
      // the message to the dead-letter queue, and the relay makes the job DEAD.
      while (engine.awaitOperation(location, Duration.ZERO).status() == 202 && System.nanoTime() < until) {
        received += sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1).visibilityTimeout(1)).messages().size();
      }
    }
    assertThat(received).as("this test received the job message").isPositive();

    Engine.Answer dead = engine.awaitOperation(location, Duration.ofSeconds(30));
    assertThat(dead.status()).isEqualTo(502);
    assertThat(dead.body().get("code").asText()).isEqualTo("FERRY-RELAY-0304");
    assertThat(dead.body().get("detail").asText()).contains("dead-letter queue");
  }

  /**
   * SQS queued the job, but its answer did not reach the relay: the relay sends the job again as attempt 2 once
   * the send-lease lapses, while the agent runs attempt 1. Attempt 2 is queued too (its deduplication id is its
   * own), the agent answers it from its journal after attempt 1, and the relay takes that answer: the job
   * succeeds, with one customer in SAP, instead of waiting for its deadline.
   */
  @Test
  void aSendSqsTookWhileTheRelaySawAnErrorEndsWithTheAnswerToTheNextAttempt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch sapCalled = new CountDownLatch(1);
    stack = new FerryStack(dir, FerryStack.Sap.BAPI, Duration.ofSeconds(1), sap -> new HeldSap(sap, release, sapCalled))
        .withDispatch(FerryStack.Dispatch.SQS);
    faulty = new FaultySqs(stack.sqs().endpoint(), job -> job.path("attempt").asInt() == 1);
    io.ferry.sqs.SqsSettings viaFaulty = stack.sqs().withEndpoint(faulty.endpoint());
    stack.withRelay(c -> c.withDispatch(io.ferry.relay.config.RelayConfig.Dispatch.sqs(viaFaulty))).start();
    Engine engine = new Engine(stack.url(), stack.apiKey());
    int creates = stack.sapCreates();

    String location = engine.post("/v1/customers", CustomerLifecycleTest.customer("43", "DE", ""), "Prefer",
        "respond-async").header("Location");
    assertThat(sapCalled.await(20, TimeUnit.SECONDS)).as("attempt 1 reached the agent and SAP").isTrue();
    assertThat(faulty.awaitSend(m -> m.contains("\"attempt\":2"), Duration.ofSeconds(30)))
        .as("the relay sent attempt 2 after attempt 1's send-lease lapsed").isTrue();

    release.countDown(); // attempt 1 ends in SAP; its result is refused (attempt 2 holds the job)
    Engine.Answer done = engine.awaitOperation(location, Duration.ofSeconds(30));
    assertThat(done.status()).isEqualTo(201);
    assertThat(stack.sapCreates()).as("one customer in SAP").isEqualTo(creates + 1);
  }

  /** The real SAP, with the city of every update in the order SAP got them. */
  private record CityRecorder(SapBackend sap, List<String> cities) implements SapBackend, CustomerPort {

    @Override
    public String name() {
      return sap.name();
    }

    @Override
    public Customer create(Customer c) throws SapException {
      return customers().create(c);
    }

    @Override
    public Customer read(String n) throws SapException {
      return customers().read(n);
    }

    @Override
    public Customer update(String n, CustomerPatch p) throws SapException {
      cities.add(p.values().city());
      return customers().update(n, p);
    }

    @Override
    public java.util.Optional<Customer> findByExternalId(String externalId) throws SapException {
      return customers().findByExternalId(externalId);
    }

    @Override
    public void close() {
      sap.close();
    }

    private CustomerPort customers() {
      return sap.port(CustomerPort.class).orElseThrow();
    }
  }
}
