package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.SearchQuery;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code PUT /v1/customers/by-external-id/{externalId}} and {@code GET /v1/customers}, a fake agent answering. */
class UpsertAndListTest {

  @TempDir
  static Path dataDir;
  static TestRelay relay;

  static final String BODY_WITHOUT_ID = """
      {"name":"Muster GmbH","street":"Hauptstrasse","houseNumber":"5","postalCode":"69190","city":"Walldorf",
       "country":"DE","language":"de","currency":"EUR",
       "salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"}}""";

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c);
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  private static List<String> fields(Reply reply) {
    return reply.problem().errors().stream().map(Problem.FieldError::field).toList();
  }

  // ---------------------------------------------------------------- upsert

  @Test
  void anUpsertThatCreatesIs201WithLocationAndTheOneThatUpdatesIs200() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    CompletableFuture<Reply> first = tenant.engine().putAsync("/v1/customers/by-external-id/CRM-4711", BODY_WITHOUT_ID);
    JobEnvelope job = agent.takeOne();
    assertThat(job.action()).isEqualTo(Action.CUSTOMER_UPSERT);
    assertThat(job.customer().externalId()).as("taken from the path").isEqualTo("CRM-4711");
    assertThat(job.customer().name()).isEqualTo("Muster GmbH");
    agent.upserted(job, Fixtures.created(job.customer(), "0000100001"), JobResult.Effect.CREATED);

    Reply created = first.get(15, TimeUnit.SECONDS);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/v1/customers/0000100001");
    assertThat(created.header("Ferry-Upsert")).isEqualTo("created");
    assertThat(created.header("ETag")).startsWith("\"");
    assertThat(created.as(Customer.class).customerNumber()).isEqualTo("0000100001");

    String sameIdInBody = BODY_WITHOUT_ID.replace("{\"name\"", "{\"externalId\":\"CRM-4711\",\"name\"");
    CompletableFuture<Reply> second = tenant.engine().putAsync("/v1/customers/by-external-id/CRM-4711", sameIdInBody);
    JobEnvelope again = agent.takeOne();
    agent.upserted(again, again.customer().withCustomerNumber("0000100001"), JobResult.Effect.UPDATED);

    Reply updated = second.get(15, TimeUnit.SECONDS);
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    assertThat(updated.header("Ferry-Upsert")).isEqualTo("updated");
    assertThat(updated.header("Location")).isNull();
    assertThat(updated.body()).doesNotContain("null");
  }

  @Test
  void aBodyExternalIdOtherThanThePathsIs422NamingItAndQueuesNothing() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    String other = BODY_WITHOUT_ID.replace("{\"name\"", "{\"externalId\":\"CRM-9\",\"name\"");

    Reply refused = tenant.engine().put("/v1/customers/by-external-id/CRM-4711", other);

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.problem().code()).isEqualTo("FERRY-RELAY-0101");
    assertThat(fields(refused)).containsExactly("externalId");
    assertThat(refused.problem().detail()).contains("CRM-4711").contains("CRM-9");

    Reply both = tenant.engine().put("/v1/customers/by-external-id/CRM-4711",
        other.replace("\"country\":\"DE\"", "\"country\":\"XX\""));
    assertThat(fields(both)).containsExactly("country", "externalId");

    // The next job the agent gets is a later, valid request: the refused ones queued nothing.
    tenant.engine().put("/v1/customers/by-external-id/CRM-5", BODY_WITHOUT_ID, "Prefer", "respond-async");
    assertThat(agent.takeOne().customer().externalId()).isEqualTo("CRM-5");
  }

  @Test
  void thePathsExternalIdIsCheckedLikeTheBodysAndMayBePercentEncoded() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    Reply tooLong = tenant.engine().put("/v1/customers/by-external-id/" + "X".repeat(21), BODY_WITHOUT_ID);
    assertThat(tooLong.status()).isEqualTo(422);
    assertThat(fields(tooLong)).containsExactly("externalId");
    assertThat(tooLong.problem().errors().get(0).message()).contains("at most 20");

    Reply blank = tenant.engine().put("/v1/customers/by-external-id/%20", BODY_WITHOUT_ID);
    assertThat(blank.status()).isEqualTo(422);
    assertThat(fields(blank)).containsExactly("externalId");

    Reply accepted = tenant.engine().put("/v1/customers/by-external-id/CRM%204711", BODY_WITHOUT_ID,
        "Prefer", "respond-async");
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(agent.takeOne().customer().externalId()).isEqualTo("CRM 4711");
  }

  @Test
  void anIncompleteCustomerIsRefusedAsForACreate() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();

    Reply refused = tenant.engine().put("/v1/customers/by-external-id/CRM-1", "{\"name\":\"Muster GmbH\"}");

    assertThat(refused.status()).isEqualTo(422);
    assertThat(fields(refused)).contains("city", "salesArea").doesNotContain("externalId");
    assertThat(tenant.engine().put("/v1/customers/by-external-id/CRM-1", "[1]").status()).isEqualTo(422);
    assertThat(tenant.engine().put("/v1/customers/by-external-id/CRM-1", "{").status()).isEqualTo(400);
  }

  @Test
  void afterA202TheOperationAnswersWhatTheUpsertWouldHaveAnswered() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    Reply accepted = tenant.engine().put("/v1/customers/by-external-id/CRM-7", BODY_WITHOUT_ID, "Prefer", "respond-async");
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.json().get("action").asText()).isEqualTo("customer.upsert");
    String location = accepted.header("Location");
    assertThat(location).startsWith(relay.base() + "/v1/operations/");
    JobEnvelope job = agent.takeOne();
    agent.upserted(job, Fixtures.created(job.customer(), "0000100007"), JobResult.Effect.CREATED);

    Reply done = tenant.engine().get(location);
    assertThat(done.status()).isEqualTo(201);
    assertThat(done.header("Ferry-Upsert")).isEqualTo("created");
    assertThat(done.header("Location")).isEqualTo("/v1/customers/0000100007");

    Reply updatedLater = tenant.engine().put("/v1/customers/by-external-id/CRM-7", BODY_WITHOUT_ID, "Prefer", "respond-async");
    JobEnvelope second = agent.takeOne();
    agent.upserted(second, second.customer().withCustomerNumber("0000100007"), JobResult.Effect.UPDATED);
    Reply updated = tenant.engine().get(updatedLater.header("Location"));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.header("Ferry-Upsert")).isEqualTo("updated");
  }

  @Test
  void anIdempotencyKeyReplaysTheFirstUpsertsAnswer() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    tenant.engine().put("/v1/customers/by-external-id/CRM-8", BODY_WITHOUT_ID, "Idempotency-Key", "k-8",
        "Prefer", "respond-async");
    JobEnvelope job = agent.takeOne();
    agent.upserted(job, Fixtures.created(job.customer(), "0000100008"), JobResult.Effect.CREATED);

    String sameRequest = BODY_WITHOUT_ID.replace("{\"name\"", "{\"externalId\":\"CRM-8\",\"name\"");
    Reply replayed = tenant.engine().put("/v1/customers/by-external-id/CRM-8", sameRequest, "Idempotency-Key", "k-8");
    assertThat(replayed.status()).isEqualTo(201);
    assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replayed.header("Ferry-Upsert")).isEqualTo("created");

    Reply other = tenant.engine().put("/v1/customers/by-external-id/CRM-8",
        BODY_WITHOUT_ID.replace("Walldorf", "Berlin"), "Idempotency-Key", "k-8");
    assertThat(other.status()).isEqualTo(422);
    assertThat(other.problem().code()).isEqualTo("FERRY-RELAY-0111");
  }

  @Test
  void twoCustomersWithTheExternalIdInSapAre422WithTheAgentsMessage() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    CompletableFuture<Reply> pending = tenant.engine().putAsync("/v1/customers/by-external-id/CRM-2", BODY_WITHOUT_ID);
    JobEnvelope job = agent.takeOne();
    agent.fail(job, new JobError(JobError.Kind.SAP_BUSINESS_ERROR, "FERRY-SAP-0001",
        "2 SAP customers carry externalId CRM-2 (KNA1-NAME4): 0000100001, 0000100002", List.of()));

    Reply reply = pending.get(15, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.problem().code()).isEqualTo("FERRY-SAP-0001");
    assertThat(reply.problem().detail()).contains("0000100001").contains("0000100002");
  }

  @Test
  void anUpsertResultWithoutItsEffectOrASearchResultWithoutItsPageIsRefused() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    tenant.engine().put("/v1/customers/by-external-id/CRM-3", BODY_WITHOUT_ID, "Prefer", "respond-async");
    JobEnvelope upsert = agent.takeOne();
    Reply noEffect = agent.succeed(upsert, upsert.customer().withCustomerNumber("0000100003"));
    assertThat(noEffect.status()).isEqualTo(400);
    assertThat(noEffect.problem().detail()).contains("customer.upsert").contains("effect");

    tenant.engine().get("/v1/customers?search=Muster", "Prefer", "respond-async");
    JobEnvelope search = agent.takeOne();
    Reply noPage = agent.succeed(search, Fixtures.sample("0000100001"));
    assertThat(noPage.status()).isEqualTo(400);
    assertThat(noPage.problem().detail()).contains("customer.search").contains("page");
  }

  // ---------------------------------------------------------------- list

  @Test
  void aListPageLinksTheNextAbsolutelyUntilTheLastWhichHasNoLink() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    CompletableFuture<Reply> first = tenant.engine().getAsync("/v1/customers?search=Muster%20GmbH&top=2",
        "Idempotency-Key", "ignored-on-reads");
    JobEnvelope job = agent.takeOne();
    assertThat(job.action()).isEqualTo(Action.CUSTOMER_SEARCH);
    assertThat(job.search()).isEqualTo(new SearchQuery("Muster GmbH", 2, null));
    agent.found(job, new CustomerPage(List.of(Fixtures.sample("0000100001"), Fixtures.sample("0000100002")), "0000100002"));

    Reply page1 = first.get(15, TimeUnit.SECONDS);
    assertThat(page1.status()).as(page1.body()).isEqualTo(200);
    JsonNode body1 = page1.json();
    assertThat(body1.get("value")).hasSize(2);
    assertThat(body1.get("value").get(0).get("customerNumber").asText()).isEqualTo("0000100001");
    String next = body1.get("nextLink").asText();
    assertThat(next).isEqualTo(relay.base() + "/v1/customers?search=Muster%20GmbH&top=2&cursor=0000100002");

    CompletableFuture<Reply> second = tenant.engine().getAsync(next);
    JobEnvelope job2 = agent.takeOne();
    assertThat(job2.search()).isEqualTo(new SearchQuery("Muster GmbH", 2, "0000100002"));
    agent.found(job2, new CustomerPage(List.of(Fixtures.sample("0000100003")), null));

    Reply page2 = second.get(15, TimeUnit.SECONDS);
    assertThat(page2.status()).isEqualTo(200);
    assertThat(page2.json().get("value")).hasSize(1);
    assertThat(page2.json().has("nextLink")).isFalse();
    assertThat(page2.body()).doesNotContain("null");
  }

  @Test
  void withoutParametersEveryCustomerIsListedFiftyAtATimeAndAnEmptyPageIsAnEmptyValue() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    CompletableFuture<Reply> pending = tenant.engine().getAsync("/v1/customers?search=");
    JobEnvelope job = agent.takeOne();
    assertThat(job.search()).isEqualTo(new SearchQuery(null, 50, null));
    agent.found(job, new CustomerPage(List.of(), null));

    Reply reply = pending.get(15, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("{\"value\":[]}");
  }

  @Test
  void invalidListParametersAre422NamingEachAndQueueNothing() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    for (String top : new String[] {"0", "201", "ten", "-1"}) {
      Reply r = tenant.engine().get("/v1/customers?top=" + top);
      assertThat(r.status()).as(top).isEqualTo(422);
      assertThat(fields(r)).as(top).containsExactly("top");
      assertThat(r.problem().detail()).contains("top");
    }
    assertThat(fields(tenant.engine().get("/v1/customers?search=M"))).containsExactly("search");
    assertThat(fields(tenant.engine().get("/v1/customers?search=" + "x".repeat(36)))).containsExactly("search");
    assertThat(fields(tenant.engine().get("/v1/customers?cursor=a%20b"))).containsExactly("cursor");
    assertThat(fields(tenant.engine().get("/v1/customers?search=M&top=0&cursor=%3F")))
        .containsExactly("search", "top", "cursor");

    tenant.engine().get("/v1/customers?search=Valid", "Prefer", "respond-async");
    assertThat(agent.takeOne().search().text()).isEqualTo("Valid");
  }

  @Test
  void afterA202TheOperationAnswersThePageWithItsAbsoluteNextLink() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();

    Reply accepted = tenant.engine().get("/v1/customers?top=1", "Prefer", "respond-async");
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.json().get("action").asText()).isEqualTo("customer.search");
    JobEnvelope job = agent.takeOne();
    agent.found(job, new CustomerPage(List.of(Fixtures.sample("0000100001")), "0000100001"));

    Reply done = tenant.engine().get(accepted.header("Location"));
    assertThat(done.status()).isEqualTo(200);
    assertThat(done.json().get("nextLink").asText()).isEqualTo(relay.base() + "/v1/customers?top=1&cursor=0000100001");
    assertThat(done.json().get("value").get(0).get("customerNumber").asText()).isEqualTo("0000100001");
  }

  @Test
  void aSearchJobCarriesItsQueryOnTheWireAsTheGoldenFileShows() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    tenant.engine().get("/v1/customers?search=Muster&cursor=0000100050", "Prefer", "respond-async");
    JobEnvelope job = agent.takeOne();
    JsonNode wire = Protocol.json().valueToTree(job);
    assertThat(wire.get("search").toString()).isEqualTo("{\"text\":\"Muster\",\"top\":50,\"cursor\":\"0000100050\"}");
  }
}
