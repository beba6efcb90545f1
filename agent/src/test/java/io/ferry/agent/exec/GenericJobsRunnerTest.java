package io.ferry.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.agent.BusinessObjects;
import io.ferry.agent.catalog.CatalogFingerprint;
import io.ferry.agent.function.FunctionPort;
import io.ferry.agent.journal.Journal;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.policy.GenericGrants;
import io.ferry.agent.policy.JobGate;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.relay.RelayClient;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SimulatedSap;
import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.sapsim.SapSimulator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generic jobs through the whole runner, as the relay delivers them: the gate, the journal, the handler and the
 * failure the engine hears.
 */
class GenericJobsRunnerTest {

  @TempDir Path dir;
  private SimulatedSap sap;
  private RelayClient relay;
  private LeaseKeeper leases;
  private Journal journal;
  private JobRunner runner;

  @BeforeEach
  void setUp() throws Exception {
    sap = SimulatedSap.start(SimulatedSap.Kind.BAPI);
    // A sales-organisation limit does not stop generic calls: policy.functions decides what they reach.
    AgentPolicy policy = AgentPolicy.defaults().withSalesOrganizations("1000").withGeneric(new GenericGrants(
        Set.of("RFC_READ_TABLE", "BAPI_CUSTOMER_CREATEFROMDATA1"), Set.of("RFC_READ_TABLE"), List.of()));
    CatalogFingerprint catalog = new CatalogFingerprint(policy.generic(),
        sap.backend().port(FunctionPort.class).orElseThrow(), SapCalls.DIRECT);
    relay = new RelayClient(URI.create("http://127.0.0.1:9"), "fa_test", Duration.ofMillis(200), Duration.ofMillis(200));
    leases = new LeaseKeeper(relay, Duration.ofMinutes(5));
    journal = new Journal(dir, relay, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Math::random),
        Clock.systemUTC());
    runner = new JobRunner(BusinessObjects.handlers(sap.backend(), SapCalls.DIRECT, policy, catalog), journal, leases,
        new JobGate(policy));
  }

  @AfterEach
  void tearDown() throws Exception {
    leases.close();
    journal.close();
    relay.close();
    sap.close();
  }

  private static JobEnvelope call(String id, int attempt, String payload) throws Exception {
    return JobEnvelope.withPayload(Protocol.VERSION, id, Action.FUNCTION_CALL, attempt, Instant.now().plusSeconds(60),
        Instant.now().plusSeconds(600), null, (ObjectNode) Protocol.json().readTree(payload.replace('\'', '"')));
  }

  private JobResult result(String id) {
    return journal.find(id).orElseThrow().result();
  }

  @Test
  void theEngineHearsTheAbapExceptionsKey() throws Exception {
    runner.run(call("job-abap", 1, "{'function':'RFC_READ_TABLE','importing':{'QUERY_TABLE':'ZNOPE'}}"));

    JobResult r = result("job-abap");
    assertThat(r.outcome()).isEqualTo(JobResult.Outcome.FAILED);
    assertThat(r.error().kind()).isEqualTo(JobError.Kind.SAP_BUSINESS_ERROR);
    assertThat(r.error().abapException()).isEqualTo("TABLE_NOT_AVAILABLE");
  }

  @Test
  void aCallTheRelayDeliversAgainIsNotRepeatedUnlessRepeatable() throws Exception {
    runner.run(call("job-again", 2, "{'function':'BAPI_CUSTOMER_CREATEFROMDATA1','commit':true}"));
    runner.run(call("job-read", 2, "{'function':'RFC_READ_TABLE','importing':{'QUERY_TABLE':'T001'}}"));

    JobResult again = result("job-again");
    assertThat(again.error().kind()).isEqualTo(JobError.Kind.OUTCOME_UNKNOWN);
    assertThat(again.error().kind().httpStatus()).isEqualTo(502);
    assertThat(SapSimulator.instance().callCount("BAPI_CUSTOMER_CREATEFROMDATA1")).isZero();
    assertThat(result("job-read").outcome()).isEqualTo(JobResult.Outcome.SUCCEEDED);
    assertThat(result("job-read").output().path("tables").path("DATA")).hasSize(2);
  }

  @Test
  void refusedParametersAreAnInvalidRequest() throws Exception {
    runner.run(call("job-bad", 1, "{'function':'RFC_READ_TABLE','importing':{'QUERY_TABLE':7}}"));

    JobResult r = result("job-bad");
    assertThat(r.error().kind()).isEqualTo(JobError.Kind.INVALID_REQUEST);
    assertThat(r.error().kind().httpStatus()).isEqualTo(422);
    assertThat(r.error().message()).contains("importing.QUERY_TABLE: expected a string (CHAR 30), was an integer");
  }
}
