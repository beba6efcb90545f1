package io.ferry.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.BusinessObjects;

import io.ferry.agent.journal.Journal;
import io.ferry.agent.metrics.AgentMetrics;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.policy.JobGate;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SimulatedSap;
import io.ferry.agent.sap.resilience.ResilienceSettings;
import io.ferry.agent.sap.resilience.Resilience;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regression (issue 13, item 11): SAP commits a create and its answer is lost — BAPI_TRANSACTION_COMMIT
 * posts and the RFC connection breaks; the OData POST is committed and answered 503. The agent must never
 * answer "retry" then: it finds the customer again (by externalId, else by the job's correlation) or
 * answers OUTCOME_UNKNOWN; and the job delivered again never creates a second customer.
 */
@ParameterizedClass(name = "SAP over {0}")
@EnumSource(SimulatedSap.Kind.class)
class UnknownOutcomeTest {

  private static final String JOB = "01JF00TEST0000000000000011";

  @Parameter SimulatedSap.Kind kind;
  @TempDir Path dir;

  private SimulatedSap sap;
  private RelayClient relay;
  private LeaseKeeper leases;
  private Journal journal;
  private JobRunner runner;
  private AgentMetrics metrics;

  private void start(String correlationField) throws Exception {
    sap = SimulatedSap.start(kind, correlationField);
    metrics = new AgentMetrics();
    Resilience resilience = new Resilience(sap.backend().name(),
        new ResilienceSettings(3, Duration.ofMillis(1), Duration.ofMillis(5), 5, Duration.ofSeconds(30)), Clock.systemUTC());
    // The journal's sender is not started: results stay in the journal, where the test reads them.
    relay = new RelayClient(URI.create("http://127.0.0.1:9"), "fa_test", Duration.ofMillis(200), Duration.ofMillis(200));
    leases = new LeaseKeeper(relay, Duration.ofMinutes(5));
    journal = new Journal(dir, relay, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Math::random), Clock.systemUTC());
    runner = new JobRunner(BusinessObjects.handlers(sap.backend(), SapCalls.of(AgentPolicy.defaults().guard(), resilience,
        metrics.meter(sap.backend().name()))), journal, leases, new JobGate(AgentPolicy.defaults()), metrics::jobFinished);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (leases != null) {
      leases.close();
      journal.close();
      relay.close();
      metrics.close();
    }
    if (sap != null) {
      sap.close();
    }
  }

  private static Customer customer(String externalId, String name) {
    return Customer.builder().externalId(externalId).name(name).street("Hauptstrasse").houseNumber("1")
        .postalCode("10115").city("Berlin").country("DE").language("de").currency("EUR")
        .salesArea(new SalesArea("1000", "10", "00")).build();
  }

  private JobResult run(String jobId, int attempt, Customer customer) {
    runner.run(new JobEnvelope(Protocol.VERSION, jobId, Action.CUSTOMER_CREATE, attempt, Instant.now().plusSeconds(60),
        Instant.now().plusSeconds(600), null, customer, null, null, null, null));
    return journal.find(jobId).orElseThrow().result();
  }

  /** The customers SAP holds under that name. */
  private int customersNamed(String name) throws SapException {
    CustomerPage page = sap.customers().search(new SearchQuery(name, 50, null));
    return (int) page.customers().stream().filter(c -> name.equals(c.name())).count();
  }

  @Test
  void aCommittedCreateWhoseAnswerWasLostIsFoundByItsExternalId() throws Exception {
    start(null);
    sap.loseTheAnswerOfTheNextCreate();

    JobResult r = run(JOB, 1, customer("CRM-900", "Lost Answer Ext GmbH"));

    assertThat(r.outcome()).isEqualTo(JobResult.Outcome.SUCCEEDED);
    assertThat(r.customer().externalId()).isEqualTo("CRM-900");
    assertThat(customersNamed("Lost Answer Ext GmbH")).isEqualTo(1);
  }

  @Test
  void withoutExternalIdTheJobsCorrelationFindsTheCustomer() throws Exception {
    start(null);
    sap.loseTheAnswerOfTheNextCreate();

    JobResult r = run(JOB, 1, customer(null, "Lost Answer Corr GmbH"));

    assertThat(r.outcome()).isEqualTo(JobResult.Outcome.SUCCEEDED);
    assertThat(r.customer().customerNumber()).isNotBlank();
    assertThat(customersNamed("Lost Answer Corr GmbH")).isEqualTo(1);

    // Delivered again (a lost result): the correlation finds the same customer, no second one is made.
    journal.close();
    journal = new Journal(dir.resolve("again"), relay, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Math::random),
        Clock.systemUTC());
    runner = new JobRunner(BusinessObjects.handlers(sap.backend(), SapCalls.of(AgentPolicy.defaults().guard(),
        new Resilience(sap.backend().name(), ResilienceSettings.defaults(), Clock.systemUTC()))), journal, leases,
        new JobGate(AgentPolicy.defaults()));
    JobResult again = run(JOB, 2, customer(null, "Lost Answer Corr GmbH"));
    assertThat(again.outcome()).isEqualTo(JobResult.Outcome.SUCCEEDED);
    assertThat(again.customer().customerNumber()).isEqualTo(r.customer().customerNumber());
    assertThat(customersNamed("Lost Answer Corr GmbH")).isEqualTo(1);
  }

  @Test
  void withCorrelationOffAndNoExternalIdTheOutcomeIsUnknownNotRetryable() throws Exception {
    start("none");
    sap.loseTheAnswerOfTheNextCreate();

    JobResult r = run(JOB, 1, customer(null, "Lost Answer Off GmbH"));

    assertThat(r.outcome()).isEqualTo(JobResult.Outcome.FAILED);
    assertThat(r.error().kind()).isEqualTo(JobError.Kind.OUTCOME_UNKNOWN);
    assertThat(r.error().code()).isEqualTo(SapErrorCodes.OUTCOME_UNKNOWN);
    assertThat(r.error().message()).contains("sap.correlation-field").contains("created around");
    assertThat(customersNamed("Lost Answer Off GmbH")).isEqualTo(1);
    assertThat(metrics.scrape()).contains("outcome=\"failed_outcome_unknown\"");
  }
}
