package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.odata.ODataAnswer;
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
 * {@code /v1/odata} over real HTTP, with an agent answering over the real agent API: the list, $metadata, an entity
 * set's schema, reads with the system query options passed raw and their next page made a link of the relay, writes
 * with If-Match passed through and Gateway's ETag and Location answered (absolute, the relay's), bad input named,
 * scopes.
 */
class ODataApiTest {

  static final String BP = "/v1/odata/API_BUSINESS_PARTNER/";

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
    agent.pollReporting(1, null, 0);
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void theListHoldsTheResourcesTheAgentAllows() throws Exception {
    CompletableFuture<Reply> list = tenant.engine().getAsync("/v1/odata");
    JobEnvelope job = agent.takeReporting(null);
    assertThat(job.action()).isEqualTo(Action.CATALOG_READ);
    agent.produce(job, FunctionApiTest.CATALOG);
    Reply reply = list.get(10, TimeUnit.SECONDS);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonNode resources = reply.json().get("resources");
    assertThat(resources).hasSize(1);
    assertThat(resources.get(0).get("service").asText()).isEqualTo("API_BUSINESS_PARTNER");
    assertThat(resources.get(0).get("entitySet").asText()).isEqualTo("A_BusinessPartner");
    assertThat(resources.get(0).get("methods").toString()).isEqualTo("[\"GET\",\"POST\"]");
    assertThat(reply.json().has("functions")).isFalse();
  }

  @Test
  void metadataIsTheEdmxAsXml() throws Exception {
    CompletableFuture<Reply> metadata = tenant.engine().getAsync(BP + "$metadata");
    JobEnvelope job = agent.takeReporting(null);
    assertThat(job.action()).isEqualTo(Action.ODATA_READ);
    assertThat(job.payload().get("path").asText()).isEqualTo("$metadata");
    assertThat(job.payload().get("service").asText()).isEqualTo("API_BUSINESS_PARTNER");
    agent.produce(job, new ODataAnswer(200, null, "<edmx:Edmx Version=\"1.0\"/>", "application/xml", null, null, null));
    Reply reply = metadata.get(10, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/xml");
    assertThat(reply.body()).isEqualTo("<edmx:Edmx Version=\"1.0\"/>");

    Engine admin = new Engine(relay.base(), relay.relay.admin().createApiKey(tenant.id(), Set.of(Scope.ADMIN), null)
        .key());
    Reply shown = admin.get("/admin/v1/jobs/" + job.jobId());
    assertThat(shown.status()).as(shown.toString()).isEqualTo(200);
    assertThat(shown.json().get("result").asText()).startsWith("<edmx:Edmx");
  }

  @Test
  void anEntitySetsSchemaIsAskedForWithSchemaTrue() throws Exception {
    CompletableFuture<Reply> schema = tenant.engine().getAsync(BP + "A_BusinessPartner/schema");
    JobEnvelope job = agent.takeReporting(null);
    assertThat(job.payload().get("schema").asBoolean()).isTrue();
    assertThat(job.payload().get("path").asText()).isEqualTo("A_BusinessPartner");
    ObjectNode body = Protocol.json().createObjectNode().put("type", "object");
    agent.produce(job, new ODataAnswer(200, body, null, null, null, null, null));
    Reply reply = schema.get(10, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("type").asText()).isEqualTo("object");
  }

  @Test
  void aReadPassesTheQueryOptionsRawAndMakesTheNextPageALinkOfTheRelay() throws Exception {
    CompletableFuture<Reply> read = tenant.engine().getAsync(
        BP + "A_BusinessPartner('1000')/to_BusinessPartnerAddress?$filter=Country%20eq%20'DE'&$top=2&$select=City");
    JobEnvelope job = agent.takeReporting(null);
    assertThat(job.payload().get("method").asText()).isEqualTo("GET");
    assertThat(job.payload().get("path").asText()).isEqualTo("A_BusinessPartner('1000')/to_BusinessPartnerAddress");
    // Raw, as the client sent it (OkHttp encodes the quotes): the agent decodes once, as Gateway would.
    assertThat(job.payload().get("query").asText()).isEqualTo("$filter=Country%20eq%20%27DE%27&$top=2&$select=City");
    ObjectNode body = Protocol.json().createObjectNode();
    body.putArray("results").addObject().put("City", "Berlin");
    agent.produce(job, new ODataAnswer(200, body, null, null, "W/\"datetime'1'\"", null,
        "A_BusinessPartner('1000')/to_BusinessPartnerAddress?$skiptoken=2&$top=2"));
    Reply reply = read.get(10, TimeUnit.SECONDS);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().get("results").get(0).get("City").asText()).isEqualTo("Berlin");
    assertThat(reply.json().get("nextLink").asText()).isEqualTo(relay.base() + BP
        + "A_BusinessPartner('1000')/to_BusinessPartnerAddress?$skiptoken=2&$top=2");
    assertThat(reply.header("ETag")).isEqualTo("W/\"datetime'1'\"");
  }

  @Test
  void aCreateAnswersGatewaysStatusWithAnAbsoluteLocationAndTheETag() throws Exception {
    String partner = "{\"BusinessPartnerCategory\":\"2\",\"OrganizationBPName1\":\"Ferry GmbH\"}";
    CompletableFuture<Reply> create = tenant.engine().postAsync(BP + "A_BusinessPartner", partner,
        "Idempotency-Key", "bp-1");
    JobEnvelope job = agent.takeReporting(null);
    assertThat(job.action()).isEqualTo(Action.ODATA_WRITE);
    assertThat(job.payload().get("method").asText()).isEqualTo("POST");
    assertThat(job.payload().get("body").get("OrganizationBPName1").asText()).isEqualTo("Ferry GmbH");
    ObjectNode made = Protocol.json().createObjectNode().put("BusinessPartner", "1000123");
    agent.produce(job, new ODataAnswer(201, made, null, null, "W/\"x1\"", "A_BusinessPartner('1000123')", null));
    Reply reply = create.get(10, TimeUnit.SECONDS);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    assertThat(reply.header("Location")).isEqualTo(relay.base() + BP + "A_BusinessPartner('1000123')");
    assertThat(reply.header("ETag")).isEqualTo("W/\"x1\"");
    assertThat(reply.json().get("BusinessPartner").asText()).isEqualTo("1000123");
  }

  @Test
  void aChangePassesIfMatchAndA204HasNoBody() throws Exception {
    CompletableFuture<Reply> change = tenant.engine().patchAsync(BP + "A_BusinessPartner('1000123')",
        "{\"OrganizationBPName1\":\"Ferry AG\"}", "If-Match", "W/\"x1\"");
    // patchAsync sends merge-patch+json: OData's PATCH takes JSON only, so the relay says so.
    assertThat(change.get(10, TimeUnit.SECONDS).status()).isEqualTo(415);

    CompletableFuture<Reply> patch = Http.async(() -> tenant.engine().patch(BP + "A_BusinessPartner('1000123')",
        "{\"OrganizationBPName1\":\"Ferry AG\"}", "application/json", "If-Match", "W/\"x1\""));
    JobEnvelope job = agent.takeReporting(null);
    assertThat(job.payload().get("method").asText()).isEqualTo("PATCH");
    assertThat(job.payload().get("ifMatch").asText()).isEqualTo("W/\"x1\"");
    agent.produce(job, new ODataAnswer(204, null, null, null, "W/\"x2\"", null, null));
    Reply reply = patch.get(10, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(204);
    assertThat(reply.body()).isEmpty();
    assertThat(reply.header("ETag")).isEqualTo("W/\"x2\"");

    CompletableFuture<Reply> delete = Http.async(() -> tenant.engine().delete(BP + "A_BusinessPartner('1000123')"));
    JobEnvelope deleted = agent.takeReporting(null);
    assertThat(deleted.payload().get("method").asText()).isEqualTo("DELETE");
    assertThat(deleted.payload().has("body")).isFalse();
    agent.produce(deleted, new ODataAnswer(204, null, null, null, null, null, null));
    assertThat(delete.get(10, TimeUnit.SECONDS).status()).isEqualTo(204);

    // An administrator sees the ended write as the engine did.
    Engine admin = new Engine(relay.base(), relay.relay.admin().createApiKey(tenant.id(), Set.of(Scope.ADMIN), null)
        .key());
    Reply shown = admin.get("/admin/v1/jobs/" + deleted.jobId());
    assertThat(shown.status()).as(shown.toString()).isEqualTo(200);
    assertThat(shown.json().get("httpStatus").asInt()).isEqualTo(204);
  }

  @Test
  void gatewaysNotFoundIsTheResourcesAndAnUnknownOutcomeTheNonRetryable502() throws Exception {
    CompletableFuture<Reply> read = tenant.engine().getAsync(BP + "A_BusinessPartner('404')");
    agent.fail(agent.takeReporting(null), new JobError(JobError.Kind.NOT_FOUND, null, null, List.of()));
    Reply missing = read.get(10, TimeUnit.SECONDS);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.problem().type()).endsWith("/odata-resource-not-found");

    CompletableFuture<Reply> write = tenant.engine().postAsync(BP + "A_BusinessPartner", "{}");
    agent.fail(agent.takeReporting(null), new JobError(JobError.Kind.OUTCOME_UNKNOWN, null, null, List.of()));
    Reply unknown = write.get(10, TimeUnit.SECONDS);
    assertThat(unknown.status()).isEqualTo(502);
    assertThat(unknown.problem().type()).endsWith("/outcome-unknown");
  }

  @Test
  void badServicesPathsAndQueryOptionsAre422NamingThem() {
    Reply option = tenant.engine().get(BP + "A_BusinessPartner?$top=1&sap-client=100");
    assertThat(option.status()).isEqualTo(422);
    assertThat(option.problem().errors()).extracting(e -> e.field()).containsExactly("sap-client");

    Reply format = tenant.engine().get(BP + "A_BusinessPartner?$format=xml");
    assertThat(format.problem().errors()).extracting(e -> e.field()).containsExactly("$format");

    Reply writeOption = tenant.engine().post(BP + "A_BusinessPartner?$top=1", "{}");
    assertThat(writeOption.status()).isEqualTo(422);
    assertThat(writeOption.problem().errors()).extracting(e -> e.field()).containsExactly("$top");

    Reply service = tenant.engine().get("/v1/odata/API%20BP/A_BusinessPartner");
    assertThat(service.status()).isEqualTo(422);
    assertThat(service.problem().errors()).extracting(e -> e.field()).containsExactly("service");

    Reply empty = tenant.engine().get(BP + "A_BusinessPartner//to_Address");
    assertThat(empty.status()).as(empty.toString()).isEqualTo(422);
    assertThat(empty.problem().errors()).extracting(e -> e.field()).containsExactly("path");

    // (An encoded '..' never reaches the relay from this client: OkHttp resolves it as a dot segment.)
    for (String smuggled : List.of("A_BusinessPartner%3F$format=xml", "A_BusinessPartner%23x", "%252E%252E/X")) {
      Reply r = tenant.engine().get(BP + smuggled);
      assertThat(r.status()).as(smuggled + ": " + r).isIn(400, 422);
      if (r.status() == 422) {
        assertThat(r.problem().errors()).extracting(e -> e.field()).containsExactly("path");
      }
    }

    Reply tooLong = tenant.engine().get(BP + "A".repeat(2100));
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(tooLong.problem().errors()).extracting(e -> e.field()).containsExactly("path");

    Reply notAnObject = tenant.engine().post(BP + "A_BusinessPartner", "[1]");
    assertThat(notAnObject.status()).isEqualTo(422);
    assertThat(notAnObject.problem().errors()).extracting(e -> e.field()).containsExactly("body");
  }

  @Test
  void readingTakesOdataReadAndWritingOdataWrite() {
    Engine reader = new Engine(relay.base(), relay.relay.admin()
        .createApiKey(tenant.id(), Set.of(Scope.ODATA_READ), null).key());
    Reply write = reader.post(BP + "A_BusinessPartner", "{}");
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.problem().detail()).contains("odata:write");
    Engine functionsOnly = new Engine(relay.base(), relay.relay.admin()
        .createApiKey(tenant.id(), Set.of(Scope.FUNCTIONS_CALL), null).key());
    assertThat(functionsOnly.get("/v1/odata").status()).isEqualTo(403);
    assertThat(functionsOnly.get(BP + "A_BusinessPartner").status()).isEqualTo(403);
  }
}
