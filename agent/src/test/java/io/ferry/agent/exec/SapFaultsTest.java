package io.ferry.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.BusinessObjects;

import com.sap.conn.jco.JCoException;
import io.ferry.agent.journal.Journal;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.policy.JobGate;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SimulatedSap;
import io.ferry.agent.sap.resilience.ResilienceSettings;
import io.ferry.agent.sap.resilience.Resilience;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SalesArea;
import io.ferry.sapsim.SapSimulator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's job runner over the BAPI backend, against the JCo simulator with injected faults: a
 * transient failure is retried to success, a create that may have reached SAP is looked up before it
 * is sent again, and a business error is not retried.
 */
class SapFaultsTest {

  private static final String CREATE = "BAPI_CUSTOMER_CREATEFROMDATA1";
  private static final String FIND = "BAPI_CUSTOMER_FIND";

  @TempDir Path dir;
  private final SapSimulator sim = SapSimulator.instance();
  private SimulatedSap sap;
  private RelayClient relay;
  private LeaseKeeper leases;
  private Journal journal;
  private JobRunner runner;

  @BeforeEach
  void setUp() throws Exception {
    sap = SimulatedSap.start(SimulatedSap.Kind.BAPI);
    Resilience resilience = new Resilience(sap.backend().name(),
        new ResilienceSettings(4, Duration.ofMillis(1), Duration.ofMillis(5), 5, Duration.ofSeconds(30)), Clock.systemUTC());
    // The journal's sender is not started: results stay in the journal, where the test reads them.
    relay = new RelayClient(URI.create("http://127.0.0.1:9"), "fa_test", Duration.ofMillis(200), Duration.ofMillis(200));
    leases = new LeaseKeeper(relay, Duration.ofMinutes(5));
    journal = new Journal(dir, relay, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Math::random), Clock.systemUTC());
    runner = new JobRunner(BusinessObjects.handlers(sap.backend(), SapCalls.of(AgentPolicy.defaults().guard(), resilience)),
        journal, leases, new JobGate(AgentPolicy.defaults()));
  }

  @AfterEach
  void tearDown() throws Exception {
    leases.close();
    journal.close();
    relay.close();
    sap.close();
  }

  private static Customer customer(String externalId, String referenceCustomer) {
    return Customer.builder().externalId(externalId).name("Muster GmbH").street("Hauptstrasse").houseNumber("1")
        .postalCode("10115").city("Berlin").country("DE").language("de").currency("EUR")
        .salesArea(new SalesArea("1000", "10", "00")).referenceCustomer(referenceCustomer).build();
  }

  private JobResult run(String jobId, Action action, Customer customer, String customerNumber) {
    runner.run(new JobEnvelope(Protocol.VERSION, jobId, action, 1, Instant.now().plusSeconds(60),
        Instant.now().plusSeconds(600), customerNumber, customer, null, null, null, null));
    return journal.find(jobId).orElseThrow().result();
  }

  @Test
  void aLostConnectionDuringTheCreateLeavesNothingInSapAndTheCreateIsSentAgain() {
    // The session ends uncommitted, so SAP rolled the create back: sent again without a look-up.
    sim.failNextCallOf(CREATE, JCoException.JCO_ERROR_COMMUNICATION);

    JobResult r = run("job-1", Action.CUSTOMER_CREATE, customer("CRM-500", null), null);

    assertThat(r.outcome()).isEqualTo(JobResult.Outcome.SUCCEEDED);
    assertThat(r.customer().customerNumber()).isEqualTo("0000100001");
    assertThat(sim.callCount(FIND)).isZero();
    assertThat(sim.callCount(CREATE)).isEqualTo(1);
  }

  @Test
  void aLostConnectionDuringTheCommitIsLookedUpAndThenCreatedOnce() {
    // The commit never ran (the fault strikes before it): the look-up finds nothing, so SAP is asked again.
    sim.failNextCallOf("BAPI_TRANSACTION_COMMIT", JCoException.JCO_ERROR_COMMUNICATION);

    JobResult r = run("job-1b", Action.CUSTOMER_CREATE, customer("CRM-505", null), null);

    assertThat(r.outcome()).isEqualTo(JobResult.Outcome.SUCCEEDED);
    assertThat(sim.callCount(FIND)).isEqualTo(1);
    assertThat(sim.callCount(CREATE)).isEqualTo(2);
    assertThat(sim.customerExists("0000100001")).isFalse();
    assertThat(sim.customerExists("0000100002")).isTrue();
  }

  @Test
  void aSalesAreaWithoutAReferenceCustomerIsAConfigurationProblemNotAnOutage() {
    // Regression (issue 13, item 12): this used to be SAP_UNAVAILABLE, which engines retry forever.
    sim.addSalesArea("2000", "10", "00", "2000");
    io.ferry.agent.metrics.AgentMetrics metrics = new io.ferry.agent.metrics.AgentMetrics();
    JobRunner metered = new JobRunner(BusinessObjects.handlers(sap.backend(), SapCalls.of(AgentPolicy.defaults().guard(),
        new Resilience(sap.backend().name(), ResilienceSettings.defaults(), Clock.systemUTC()),
        metrics.meter(sap.backend().name()))), journal, leases, new JobGate(AgentPolicy.defaults()), metrics::jobFinished);
    Customer c = Customer.builder().name("Muster GmbH").street("Hauptstrasse").houseNumber("1").postalCode("10115")
        .city("Berlin").country("DE").language("de").currency("EUR").salesArea(new SalesArea("2000", "10", "00")).build();

    metered.run(new JobEnvelope(Protocol.VERSION, "job-7", Action.CUSTOMER_CREATE, 1, Instant.now().plusSeconds(60),
        Instant.now().plusSeconds(600), null, c, null, null, null, null));
    JobResult r = journal.find("job-7").orElseThrow().result();

    assertThat(r.error().kind()).isEqualTo(JobError.Kind.SAP_CONFIGURATION);
    assertThat(r.error().code()).isEqualTo(SapErrorCodes.SETTING_MISSING);
    assertThat(r.error().message()).contains("the agent has no sap.reference-customer.2000/10/00");
    assertThat(sim.callCount(CREATE)).isZero();
    assertThat(metrics.missingSettings()).singleElement().satisfies(m -> {
      assertThat(m.setting()).isEqualTo("sap.reference-customer.2000/10/00");
      assertThat(m.jobs()).isEqualTo(1);
    });
    assertThat(metrics.scrape()).contains("ferry_agent_sap_setting_missing_total{setting=\"sap.reference-customer\"} 1.0")
        .contains("outcome=\"failed_sap_configuration\"");
    metrics.close();
  }

  @Test
  void aTransientFailureOfAReadIsRetriedToSuccess() {
    JobResult created = run("job-2", Action.CUSTOMER_CREATE, customer("CRM-501", null), null);
    sim.failNextCalls(2, JCoException.JCO_ERROR_TIMEOUT);

    JobResult r = run("job-3", Action.CUSTOMER_READ, null, created.customer().customerNumber());

    assertThat(r.outcome()).isEqualTo(JobResult.Outcome.SUCCEEDED);
    assertThat(r.customer().externalId()).isEqualTo("CRM-501");
  }

  @Test
  void aBusinessErrorIsNotRetried() {
    JobResult r = run("job-4", Action.CUSTOMER_CREATE, customer("CRM-502", "9999"), null);

    assertThat(r.outcome()).isEqualTo(JobResult.Outcome.FAILED);
    assertThat(r.error().kind()).isEqualTo(JobError.Kind.SAP_BUSINESS_ERROR);
    assertThat(r.error().code()).isEqualTo(SapErrorCodes.BUSINESS);
    assertThat(sim.callCount(CREATE)).isEqualTo(1);
    assertThat(sim.callCount(FIND)).isZero();
  }

  /** The agent's FAILED line names the code and the HTTP status the engine will get, as the relay's does. */
  @Test
  void theFailedLineCarriesTheProblemCodeAndStatus() {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(JobRunner.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      run("job-4f", Action.CUSTOMER_CREATE, customer("CRM-503", "9999"), null);
    } finally {
      logger.detachAppender(lines);
    }
    assertThat(lines.list).map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).startsWith("FERRY-AGENT-0112 job job-4f customer.create attempt 1 FAILED in ")
            .endsWith(" ms: " + SapErrorCodes.BUSINESS + ", HTTP 422"));
  }

  @Test
  void aSapThatStaysDownOpensTheBreakerAndTheJobCarriesItsRetryAfter() {
    sim.failNextCalls(100, JCoException.JCO_ERROR_COMMUNICATION);
    run("job-5", Action.CUSTOMER_READ, null, "100001"); // 4 failures

    JobResult r = run("job-6", Action.CUSTOMER_READ, null, "100001"); // a 5th opens the breaker

    assertThat(r.error().kind()).isEqualTo(JobError.Kind.SAP_UNAVAILABLE);
    assertThat(r.error().code()).isEqualTo(SapErrorCodes.BREAKER_OPEN);
    assertThat(r.error().retryAfterSeconds()).isBetween(1, 30);
  }
}
