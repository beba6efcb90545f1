package io.ferry.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import io.ferry.agent.BusinessObjects;
import io.ferry.agent.customer.CustomerPort;
import io.ferry.agent.sap.SapCalls;

import io.ferry.agent.journal.Journal;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.sap.SapBackend;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPatch;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards the exactly-once promise for creates: a create the relay delivers again must not create a
 * second customer when the first attempt already reached SAP.
 */
class RedeliveredCreateTest {

  @TempDir Path dir;
  private final SapLog sap = new SapLog();
  private RelayClient relay;
  private LeaseKeeper leases;
  private Journal journal;
  private JobRunner runner;

  @BeforeEach
  void setUp() throws Exception {
    // The journal's sender is not started: results stay in the journal, where the test reads them.
    relay = new RelayClient(URI.create("http://127.0.0.1:9"), "fa_test", Duration.ofMillis(200), Duration.ofMillis(200));
    leases = new LeaseKeeper(relay, Duration.ofMinutes(5));
    journal = new Journal(dir, relay, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Math::random), Clock.systemUTC());
    runner = new JobRunner(BusinessObjects.handlers(sap, SapCalls.DIRECT), journal, leases,
        new io.ferry.agent.policy.JobGate(io.ferry.agent.policy.AgentPolicy.defaults()));
  }

  @AfterEach
  void tearDown() throws Exception {
    leases.close();
    journal.close();
    relay.close();
  }

  private static JobEnvelope create(String jobId, int attempt) {
    Customer c = Customer.builder().externalId("CRM-77").name("Muster GmbH").build();
    return new JobEnvelope(Protocol.VERSION, jobId, Action.CUSTOMER_CREATE, attempt, Instant.now().plusSeconds(60),
        Instant.now().plusSeconds(600), null, c, null, null, null, null);
  }

  @Test
  void aRedeliveredCreateReportsTheCustomerTheFirstAttemptMade() {
    sap.existing = Customer.builder().customerNumber("0000100042").externalId("CRM-77").name("Muster GmbH").build();

    runner.run(create("job-2", 2));

    assertThat(sap.calls).containsExactly("find CRM-77");
    JobResult r = journal.find("job-2").orElseThrow().result();
    assertThat(r.outcome()).isEqualTo(JobResult.Outcome.SUCCEEDED);
    assertThat(r.customer().customerNumber()).isEqualTo("0000100042");
  }

  @Test
  void aRedeliveredCreateThatNeverReachedSapCreatesNow() {
    runner.run(create("job-3", 2));

    assertThat(sap.calls).containsExactly("find CRM-77", "create CRM-77");
    assertThat(journal.find("job-3").orElseThrow().result().customer().customerNumber()).isEqualTo("0000100001");
  }

  @Test
  void aFirstAttemptCreatesWithoutALookUp() {
    runner.run(create("job-1", 1));

    assertThat(sap.calls).containsExactly("create CRM-77");
  }

  @Test
  void aCreateSqsDeliversAgainLooksTheExternalIdUpFirst() {
    // SQS transport: the relay's attempt stays 1 while SQS delivers the message a second time.
    sap.existing = Customer.builder().customerNumber("0000100042").externalId("CRM-77").name("Muster GmbH").build();

    runner.run(create("job-7", 1), 2);

    assertThat(sap.calls).containsExactly("find CRM-77");
    assertThat(journal.find("job-7").orElseThrow().result().customer().customerNumber()).isEqualTo("0000100042");
  }

  @Test
  void aJobAlreadyRunIsAnsweredFromTheJournalUnderTheNewAttempt() {
    runner.run(create("job-5", 1));
    runner.run(create("job-5", 2));

    assertThat(sap.calls).containsExactly("create CRM-77");
    Journal.Entry e = journal.find("job-5").orElseThrow();
    assertThat(e.state()).isEqualTo(Journal.State.PENDING);
    assertThat(e.result().attempt()).isEqualTo(2);
    assertThat(e.result().customer().customerNumber()).isEqualTo("0000100001");
  }

  @Test
  void aCreateTheAgentStartedBeforeItStoppedLooksTheExternalIdUpFirst() throws Exception {
    // The journal says the job was running when the agent stopped: SAP may have it already.
    journal.running(create("job-6", 1));
    journal.close();
    journal = new Journal(dir, relay, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Math::random), Clock.systemUTC());
    runner = new JobRunner(BusinessObjects.handlers(sap, SapCalls.DIRECT), journal, leases,
        new io.ferry.agent.policy.JobGate(io.ferry.agent.policy.AgentPolicy.defaults()));
    sap.existing = Customer.builder().customerNumber("0000100042").externalId("CRM-77").name("Muster GmbH").build();

    runner.run(create("job-6", 1));

    assertThat(sap.calls).containsExactly("find CRM-77");
    assertThat(journal.find("job-6").orElseThrow().result().customer().customerNumber()).isEqualTo("0000100042");
  }

  /** SAP as far as this test needs it: one optional existing customer, every call written down. */
  private static final class SapLog implements SapBackend, CustomerPort {
    final List<String> calls = new ArrayList<>();
    Customer existing;

    @Override
    public String name() {
      return "test";
    }

    @Override
    public Optional<Customer> findByExternalId(String externalId) {
      calls.add("find " + externalId);
      return Optional.ofNullable(existing);
    }

    @Override
    public Customer create(Customer customer) {
      calls.add("create " + customer.externalId());
      return customer.withCustomerNumber("0000100001");
    }

    @Override
    public Customer read(String customerNumber) {
      throw new AssertionError("not expected");
    }

    @Override
    public Customer update(String customerNumber, CustomerPatch patch) {
      throw new AssertionError("not expected");
    }
  }
}
