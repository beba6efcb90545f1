package io.ferry.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import io.ferry.agent.handler.JobRefused;
import io.ferry.agent.BusinessObjects;
import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.sap.SapCalls;

import io.ferry.agent.journal.Journal;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SimulatedSap;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SearchQuery;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Upserts and searches as the agent runs them, on each SAP backend. */
@ParameterizedClass(name = "SAP over {0}")
@EnumSource(SimulatedSap.Kind.class)
class JobRunnerUpsertTest {

  @Parameter SimulatedSap.Kind kind;
  @TempDir Path dir;

  private SimulatedSap sap;
  private Journal journal;
  private LeaseKeeper leases;
  private RelayClient relay;
  private final AtomicInteger ids = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    sap = SimulatedSap.start(kind);
    // Nothing listens there: the journal's sender is never started, results stay in the journal for the test to read.
    relay = new RelayClient(URI.create("http://127.0.0.1:9"), "fa_test", Duration.ofSeconds(1), Duration.ofSeconds(1));
    journal = new Journal(dir, relay, new Backoff(Duration.ofMillis(10), Duration.ofMillis(20), Math::random),
        Clock.systemUTC());
    leases = new LeaseKeeper(relay, Duration.ofHours(1));
  }

  @AfterEach
  void stop() {
    leases.close();
    relay.close();
    sap.close();
  }

  private static Customer customer(String externalId, String city) {
    return Customer.builder().externalId(externalId).name("Muster GmbH").street("Hauptstrasse").postalCode("69190")
        .city(city).country("DE").language("de").currency("EUR").salesArea(new SalesArea("1000", "10", "00")).build();
  }

  private JobEnvelope job(Action action, Customer customer, SearchQuery search) {
    Instant now = Instant.now();
    return new JobEnvelope(Protocol.VERSION, "job-" + ids.incrementAndGet(), action, 1, now.plusSeconds(60),
        now.plusSeconds(600), null, customer, null, null, null, search);
  }

  private JobResult run(JobRunner runner, JobEnvelope job) {
    runner.run(job);
    return journal.find(job.jobId()).orElseThrow().result();
  }

  @Test
  void theFirstUpsertCreatesTheSecondUpdatesTheSameCustomer() throws Exception {
    JobRunner runner = runner(sap.backend());

    JobResult first = run(runner, job(Action.CUSTOMER_UPSERT, customer("CRM-77", "Walldorf"), null));
    JobResult second = run(runner, job(Action.CUSTOMER_UPSERT, customer("CRM-77", "Berlin"), null));

    assertThat(first.effect()).isEqualTo(JobResult.Effect.CREATED);
    assertThat(second.effect()).isEqualTo(JobResult.Effect.UPDATED);
    assertThat(second.customer().customerNumber()).isEqualTo(first.customer().customerNumber());
    assertThat(second.customer().city()).isEqualTo("Berlin");
    Optional<Customer> inSap = sap.customers().findByExternalId("CRM-77");
    assertThat(inSap).map(Customer::customerNumber).hasValue(first.customer().customerNumber());
    assertThat(inSap.get().city()).isEqualTo("Berlin");
  }

  @Test
  void twoCustomersWithTheExternalIdInSapFailTheUpsertNamingBoth() throws Exception {
    Customer a = sap.customers().create(customer("CRM-88", "Walldorf"));
    Customer b = sap.customers().create(customer("CRM-88", "Walldorf"));
    JobRunner runner = runner(sap.backend());

    JobResult result = run(runner, job(Action.CUSTOMER_UPSERT, customer("CRM-88", "Berlin"), null));

    assertThat(result.outcome()).isEqualTo(JobResult.Outcome.FAILED);
    assertThat(result.error().kind()).isEqualTo(JobError.Kind.SAP_BUSINESS_ERROR);
    assertThat(result.error().message()).contains("CRM-88").contains(a.customerNumber()).contains(b.customerNumber());
    assertThat(sap.customers().read(a.customerNumber()).city()).as("neither was changed").isEqualTo("Walldorf");
  }

  @Test
  void twoUpsertsOfOneExternalIdAtOnceCreateOneCustomer() throws Exception {
    CountDownLatch firstLookedUp = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger lookups = new AtomicInteger();
    SapBackend held = new Delegating(sap.backend().name(), sap.customers()) {
      @Override
      public Optional<Customer> findByExternalId(String externalId) throws SapException {
        Optional<Customer> found = super.findByExternalId(externalId);
        if (lookups.incrementAndGet() == 1) {
          firstLookedUp.countDown();
          await(release);
        }
        return found;
      }
    };
    JobRunner runner = runner(held);
    JobEnvelope one = job(Action.CUSTOMER_UPSERT, customer("CRM-99", "Walldorf"), null);
    JobEnvelope two = job(Action.CUSTOMER_UPSERT, customer("CRM-99", "Berlin"), null);

    Thread first = Thread.ofPlatform().start(() -> runner.run(one));
    assertThat(firstLookedUp.await(10, TimeUnit.SECONDS)).isTrue();
    Thread second = Thread.ofPlatform().start(() -> runner.run(two));
    // The second waits for the first's turn (parked), or, without turns, would run to its end.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (second.getState() != Thread.State.WAITING && second.isAlive() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    release.countDown();
    first.join(10_000);
    second.join(10_000);

    JobResult r1 = journal.find(one.jobId()).orElseThrow().result();
    JobResult r2 = journal.find(two.jobId()).orElseThrow().result();
    assertThat(r1.effect()).isEqualTo(JobResult.Effect.CREATED);
    assertThat(r2.effect()).isEqualTo(JobResult.Effect.UPDATED);
    assertThat(r2.customer().customerNumber()).isEqualTo(r1.customer().customerNumber());
    assertThat(sap.customers().findByExternalId("CRM-99")).map(Customer::city).hasValue("Berlin");
  }

  @Test
  void aSearchWithACursorOfSomethingElseIsAnInvalidRequestThatNeverReachesSap() throws Exception {
    JobRunner runner = runner(sap.backend());

    JobResult bad = run(runner, job(Action.CUSTOMER_SEARCH, null, new SearchQuery(null, 50, "not.a-number")));
    assertThat(bad.error().kind()).isEqualTo(JobError.Kind.INVALID_REQUEST);
    assertThat(bad.error().code()).isEqualTo(JobRefused.INVALID_CODE);
    assertThat(bad.error().message()).contains("cursor");

    Customer created = sap.customers().create(customer("CRM-5", "Walldorf"));
    JobResult found = run(runner, job(Action.CUSTOMER_SEARCH, null, new SearchQuery("Muster", null, "1000")));
    assertThat(found.page().customers()).extracting(Customer::customerNumber).containsExactly(created.customerNumber());
    assertThat(found.page().nextCursor()).isNull();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A runner of customer jobs on {@code sap}, calling it directly (no guard, retries or metering). */
  private JobRunner runner(SapBackend sap) {
    return new JobRunner(BusinessObjects.handlers(sap, SapCalls.DIRECT), journal, leases,
        new io.ferry.agent.policy.JobGate(io.ferry.agent.policy.AgentPolicy.defaults()));
  }

  /** A backend that hands every customer call to another's port. */
  private static class Delegating implements SapBackend, CustomerPort {
    private final String name;
    private final CustomerPort sap;

    Delegating(String name, CustomerPort sap) {
      this.name = name;
      this.sap = sap;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Customer create(Customer c) throws SapException {
      return sap.create(c);
    }

    @Override
    public Customer read(String n) throws SapException {
      return sap.read(n);
    }

    @Override
    public Customer update(String n, CustomerPatch p) throws SapException {
      return sap.update(n, p);
    }

    @Override
    public Optional<Customer> findByExternalId(String externalId) throws SapException {
      return sap.findByExternalId(externalId);
    }
  }
}
