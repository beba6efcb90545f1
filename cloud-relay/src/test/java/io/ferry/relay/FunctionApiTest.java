package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Action;
import io.ferry.protocol.Catalog;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SapMessage;
import io.ferry.protocol.function.FunctionAnswer;
import io.ferry.protocol.function.FunctionInterface;
import io.ferry.relay.auth.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/functions} over real HTTP, with an agent answering over the real agent API: the list, an interface, a
 * call and its failures (SAP's messages, an ABAP exception, the agent's refusal, an unknown outcome), bad input named,
 * the scope, the operation URL, and the audit log naming the function but no value.
 */
class FunctionApiTest {

  static final Catalog CATALOG = new Catalog(null, List.of(
      new Catalog.Function("RFC_READ_TABLE", "External access to R/3 tables via RFC", true),
      new Catalog.Function("BAPI_COMPANYCODE_GETLIST", null, false)),
      List.of(new Catalog.ODataResource("API_BUSINESS_PARTNER", "A_BusinessPartner", List.of("GET", "POST"))));

  @TempDir
  static Path dataDir;
  static TestRelay relay;
  static TestRelay.Tenant tenant;
  static FakeAgent agent;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c.withPollHold(Duration.ofSeconds(1)));
    tenant = relay.tenant();
    agent = tenant.enrollAgent();
    agent.pollReporting(1, null, 0); // online, reporting no fingerprint: nothing is cached in this test
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void theListHoldsTheFunctionsTheAgentAllows() throws Exception {
    CompletableFuture<Reply> list = tenant.engine().getAsync("/v1/functions");
    JobEnvelope job = agent.takeReporting(null);
    assertThat(job.action()).isEqualTo(Action.CATALOG_READ);
    agent.produce(job, CATALOG);

    Reply reply = list.get(10, TimeUnit.SECONDS);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonNode functions = reply.json().get("functions");
    assertThat(functions).hasSize(2);
    assertThat(functions.get(0).get("name").asText()).isEqualTo("RFC_READ_TABLE");
    assertThat(functions.get(0).get("repeatable").asBoolean()).isTrue();
    assertThat(functions.get(1).get("repeatable").asBoolean()).isFalse();
    assertThat(reply.json().has("resources")).as("the OData list is another route's").isFalse();
  }

  @Test
  void anInterfaceIsReadForTheUpperCasedNameAndAnsweredWithoutTheFingerprint() throws Exception {
    CompletableFuture<Reply> describe = tenant.engine().getAsync("/v1/functions/rfc_read_table");
    JobEnvelope job = agent.takeReporting(null);
    assertThat(job.action()).isEqualTo(Action.FUNCTION_DESCRIBE);
    assertThat(job.payload().get("function").asText()).isEqualTo("RFC_READ_TABLE");
    agent.produce(job, sampleInterface("fp-1"));

    Reply reply = describe.get(10, TimeUnit.SECONDS);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().get("function").asText()).isEqualTo("RFC_READ_TABLE");
    assertThat(reply.json().get("request").get("type").asText()).isEqualTo("object");
    assertThat(reply.json().get("exceptions").get(0).asText()).isEqualTo("TABLE_NOT_AVAILABLE");
    assertThat(reply.json().has("fingerprint")).isFalse();
  }

  @Test
  void aCallCarriesItsParametersAndAnswersEveryMember() throws Exception {
    CompletableFuture<Reply> call = tenant.engine().postAsync("/v1/functions/RFC_READ_TABLE",
        "{\"importing\":{\"QUERY_TABLE\":\"T000\",\"ROWCOUNT\":2},\"commit\":false}", "Idempotency-Key", "call-1");
    JobEnvelope job = agent.takeReporting(null);
    assertThat(job.action()).isEqualTo(Action.FUNCTION_CALL);
    assertThat(job.payload().get("function").asText()).isEqualTo("RFC_READ_TABLE");
    assertThat(job.payload().get("importing").get("QUERY_TABLE").asText()).isEqualTo("T000");
    assertThat(job.payload().get("commit").asBoolean(true)).isFalse();
    ObjectNode tables = Protocol.json().createObjectNode();
    tables.putArray("DATA").addObject().put("WA", "000 Client 000");
    agent.produce(job, new FunctionAnswer(null, null, tables, List.of(new SapMessage("S", "00", "001", "done"))));

    Reply reply = call.get(10, TimeUnit.SECONDS);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().get("exporting").isObject()).isTrue();
    assertThat(reply.json().get("changing").isObject()).isTrue();
    assertThat(reply.json().get("tables").get("DATA").get(0).get("WA").asText()).isEqualTo("000 Client 000");
    assertThat(reply.json().get("messages").get(0).get("type").asText()).isEqualTo("S");

    // The same request under the same key is answered from the first job, not run again.
    Reply again = tenant.engine().post("/v1/functions/RFC_READ_TABLE",
        "{\"importing\":{\"QUERY_TABLE\":\"T000\",\"ROWCOUNT\":2},\"commit\":false}", "Idempotency-Key", "call-1");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
  }

  @Test
  void aCallThatEndsLaterIsFollowedAtItsOperation() throws Exception {
    Reply accepted = tenant.engine().post("/v1/functions/BAPI_COMPANYCODE_GETLIST", "{}", "Prefer", "respond-async");
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.json().get("action").asText()).isEqualTo("function.call");
    agent.produce(agent.takeReporting(null), new FunctionAnswer(Protocol.json().createObjectNode().put("X", "1"),
        null, null, null));
    Reply done = tenant.engine().get(accepted.header("Location"));
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    assertThat(done.json().get("exporting").get("X").asText()).isEqualTo("1");
  }

  @Test
  void badNamesAndBodiesAre422NamingTheField() {
    Reply name = tenant.engine().get("/v1/functions/NOT-A-NAME");
    assertThat(name.status()).isEqualTo(422);
    assertThat(name.problem().errors()).extracting(e -> e.field()).containsExactly("name");

    Reply tooLong = tenant.engine().post("/v1/functions/" + "A".repeat(31), "{}");
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(tooLong.problem().errors()).extracting(e -> e.field()).containsExactly("name");

    Reply body = tenant.engine().post("/v1/functions/RFC_READ_TABLE",
        "{\"importing\":[],\"export\":{},\"commit\":\"yes\"}");
    assertThat(body.status()).isEqualTo(422);
    assertThat(body.problem().errors()).extracting(e -> e.field())
        .containsExactlyInAnyOrder("export", "importing", "commit");
  }

  @Test
  void sapsErrorMessagesAre422WithSapMessages() throws Exception {
    Reply reply = failed(new JobError(JobError.Kind.SAP_BUSINESS_ERROR, null, "SAP refused",
        List.of(new SapMessage("E", "BC", "123", "Company code 9999 does not exist"))));
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.problem().sapMessages()).extracting(SapMessage::message)
        .containsExactly("Company code 9999 does not exist");
    assertThat(reply.json().has("abapException")).isFalse();
  }

  @Test
  void anAbapExceptionIs422NamingItsKey() throws Exception {
    Reply reply = failed(new JobError(JobError.Kind.SAP_BUSINESS_ERROR, null, "the function raised TABLE_NOT_AVAILABLE",
        List.of(), null, "TABLE_NOT_AVAILABLE"));
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("abapException").asText()).isEqualTo("TABLE_NOT_AVAILABLE");
    assertThat(reply.problem().type()).endsWith("/sap-business-error");
  }

  @Test
  void theAgentsRefusalIs403AndAnUnknownOutcomeTheNonRetryable502() throws Exception {
    Reply refused = failed(new JobError(JobError.Kind.FORBIDDEN, null, "policy.functions does not name it", List.of()));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.problem().type()).endsWith("/forbidden-by-agent");

    Reply unknown = failed(new JobError(JobError.Kind.OUTCOME_UNKNOWN, null, null, List.of()));
    assertThat(unknown.status()).isEqualTo(502);
    assertThat(unknown.problem().type()).endsWith("/outcome-unknown");
    assertThat(unknown.problem().code()).isEqualTo("FERRY-RELAY-0510");
    assertThat(unknown.problem().retryable()).isFalse();

    Reply missing = failed(new JobError(JobError.Kind.NOT_FOUND, null, null, List.of()));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.problem().type()).endsWith("/function-not-found");
    assertThat(missing.problem().code()).isEqualTo("FERRY-RELAY-0513");
  }

  @Test
  void aKeyWithoutFunctionsCallIsRefused() {
    Engine customersOnly = new Engine(relay.base(), relay.relay.admin()
        .createApiKey(tenant.id(), Set.of(Scope.CUSTOMERS_READ, Scope.CUSTOMERS_WRITE), null).key());
    for (Reply reply : List.of(customersOnly.get("/v1/functions"), customersOnly.get("/v1/functions/RFC_READ_TABLE"),
        customersOnly.post("/v1/functions/RFC_READ_TABLE", "{}"))) {
      assertThat(reply.status()).isEqualTo(403);
      assertThat(reply.problem().detail()).contains("functions:call");
    }
  }

  @Test
  void theAuditLogNamesTheFunctionAndTheKeyButNoValue() throws Exception {
    CompletableFuture<Reply> call = tenant.engine().postAsync("/v1/functions/RFC_READ_TABLE",
        "{\"importing\":{\"QUERY_TABLE\":\"SECRET_TABLE_XYZ\"}}");
    JobEnvelope job = agent.takeReporting(null);
    agent.produce(job, new FunctionAnswer(null, null, null, null));
    assertThat(call.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);

    Engine admin = new Engine(relay.base(), relay.relay.admin().createApiKey(tenant.id(), Set.of(Scope.ADMIN), null)
        .key());
    JsonNode events = admin.get("/admin/v1/audit?limit=500").json().get("events");
    String keyId = tenant.apiKey().substring(3, 29);
    List<JsonNode> ofJob = new java.util.ArrayList<>();
    events.forEach(e -> {
      if (e.get("subject").asText().equals(job.jobId())) {
        ofJob.add(e);
      }
    });
    assertThat(ofJob).extracting(e -> e.get("action").asText()).containsExactlyInAnyOrder("job.accepted", "job.ended");
    for (JsonNode e : ofJob) {
      assertThat(e.get("detail").asText()).contains("function.call RFC_READ_TABLE");
      assertThat(e.toString()).doesNotContain("SECRET_TABLE_XYZ");
    }
    JsonNode accepted = ofJob.stream().filter(e -> e.get("action").asText().equals("job.accepted")).findFirst()
        .orElseThrow();
    assertThat(accepted.get("actor").asText()).isEqualTo(keyId);
    JsonNode ended = ofJob.stream().filter(e -> e.get("action").asText().equals("job.ended")).findFirst().orElseThrow();
    assertThat(ended.get("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(ended.get("detail").asText()).contains("for key " + keyId);
  }

  private static Reply failed(JobError error) throws Exception {
    CompletableFuture<Reply> call = tenant.engine().postAsync("/v1/functions/BAPI_COMPANYCODE_GETLIST",
        "{\"importing\":{},\"commit\":true}");
    JobEnvelope job = agent.takeReporting(null);
    assertThat(job.payload().get("commit").asBoolean()).isTrue();
    agent.fail(job, error);
    return call.get(10, TimeUnit.SECONDS);
  }

  static FunctionInterface sampleInterface(String fingerprint) {
    ObjectNode request = Protocol.json().createObjectNode().put("type", "object");
    request.putObject("properties").putObject("importing").put("type", "object");
    ObjectNode response = Protocol.json().createObjectNode().put("type", "object");
    return new FunctionInterface("RFC_READ_TABLE", "External access to R/3 tables via RFC", request, response,
        List.of("TABLE_NOT_AVAILABLE"), true, fingerprint);
  }
}
