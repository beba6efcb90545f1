package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.SapMessage;
import io.ferry.relay.auth.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's jobs and batches: list, show, retry, cancel — and the audit log of each. */
class AdminJobsApiTest {

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

  private static Engine admin(TestRelay.Tenant tenant) {
    return new Engine(relay.base(), relay.relay.admin().createApiKey(tenant.id(), Set.of(Scope.ADMIN), null).key());
  }

  static String queue(TestRelay.Tenant tenant, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Prefer";
    all[1] = "respond-async";
    System.arraycopy(headers, 0, all, 2, headers.length);
    Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, all);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String location = accepted.header("Location");
    return location.substring(location.lastIndexOf('/') + 1);
  }

  private static final JobError SAP_REFUSED = new JobError(JobError.Kind.SAP_BUSINESS_ERROR, "FERRY-SAP-0001",
      "SAP refused the customer", List.of(new SapMessage("E", "F2", "153", "Reference customer 0000009999 does not exist")));

  @Test
  void aFailedJobIsListedWithSapsMessageShownWithItsProblemAndRetriedAsANewJob() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine admin = admin(tenant);
    String failedId = queue(tenant);
    JobEnvelope job = agent.takeOne();
    assertThat(agent.fail(job, SAP_REFUSED).status()).isEqualTo(204);
    String succeededId = queue(tenant);
    JobEnvelope second = agent.takeOne();
    agent.succeed(second, Fixtures.created(second.customer(), "0000100001"));

    Reply list = admin.get("/admin/v1/jobs");
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    JsonNode value = list.json().path("value");
    assertThat(value).hasSize(2);
    assertThat(value.get(0).path("id").asText()).as("newest first").isEqualTo(succeededId);
    JsonNode failed = value.get(1);
    assertThat(failed.path("state").asText()).isEqualTo("FAILED");
    assertThat(failed.path("action").asText()).isEqualTo("customer.create");
    assertThat(failed.path("attempt").asInt()).isEqualTo(1);
    assertThat(failed.path("agentId").asText()).isEqualTo(agent.identity.agentId());
    assertThat(failed.path("createdAt").asText()).isNotEmpty();
    assertThat(failed.path("updatedAt").asText()).isNotEmpty();
    assertThat(failed.path("error").path("code").asText()).isEqualTo("FERRY-SAP-0001");
    assertThat(failed.path("error").path("message").asText()).contains("Reference customer 0000009999");
    assertThat(list.json().has("nextLink")).isFalse();

    Reply onlyFailed = admin.get("/admin/v1/jobs?state=failed&action=customer.create");
    assertThat(onlyFailed.json().path("value")).hasSize(1);

    Reply detail = admin.get("/admin/v1/jobs/" + failedId);
    assertThat(detail.status()).isEqualTo(200);
    JsonNode d = detail.json();
    assertThat(d.path("httpStatus").asInt()).isEqualTo(422);
    assertThat(d.path("problem").path("sapMessages").get(0).path("message").asText())
        .isEqualTo("Reference customer 0000009999 does not exist");
    assertThat(d.path("request").path("customer").path("name").asText()).isNotEmpty();
    assertThat(admin.get("/admin/v1/jobs/" + succeededId).json().path("result").path("customerNumber").asText())
        .isEqualTo("0000100001");

    Reply retried = admin.post("/admin/v1/jobs/" + failedId + "/retry", "{}");
    assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
    String retryId = retried.json().path("id").asText();
    assertThat(retryId).isNotEqualTo(failedId);
    assertThat(retried.json().path("retryOf").asText()).isEqualTo(failedId);
    assertThat(retried.json().path("state").asText()).isEqualTo("QUEUED");
    assertThat(retried.header("Location")).endsWith("/admin/v1/jobs/" + retryId);
    assertThat(admin.get("/admin/v1/jobs/" + failedId).json().path("state").asText())
        .as("a final state never changes").isEqualTo("FAILED");

    JobEnvelope again = agent.takeOne();
    assertThat(again.jobId()).isEqualTo(retryId);
    assertThat(again.customer()).isEqualTo(job.customer());
    agent.succeed(again, Fixtures.created(again.customer(), "0000100002"));
    assertThat(tenant.engine().get("/v1/operations/" + retryId).status()).isEqualTo(201);

    Reply retrySucceeded = admin.post("/admin/v1/jobs/" + succeededId + "/retry", "{}");
    assertThat(retrySucceeded.status()).isEqualTo(409);
    assertThat(retrySucceeded.problem().code()).isEqualTo("FERRY-RELAY-0308");
    assertThat(retrySucceeded.problem().detail()).contains("SUCCEEDED");

    Reply retriedTwice = admin.post("/admin/v1/jobs/" + failedId + "/retry", "{}");
    assertThat(retriedTwice.status()).as("a job is retried once").isEqualTo(409);
    assertThat(retriedTwice.problem().detail()).contains("retried already");

    JsonNode audit = admin.get("/admin/v1/audit?action=admin.job.retry").json().path("events");
    assertThat(audit).hasSize(3);
    assertThat(audit.get(0).path("subject").asText()).isEqualTo(failedId);
    assertThat(audit.get(0).path("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(audit.get(0).path("detail").asText()).contains(retryId);
    assertThat(audit.get(1).path("outcome").asText()).isEqualTo("REFUSED");
  }

  @Test
  void aQueuedJobIsCancelledAndTheEngineWaitingForItHearsSoButALeasedOneIsNot() throws Exception {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent agent = tenant.enrollAgent();
    Engine admin = admin(tenant);
    // The engine waits in its sync window for the job an administrator cancels.
    CompletableFuture<Reply> waiting = tenant.engine().postAsync("/v1/customers", Fixtures.CUSTOMER_JSON);
    Fixtures.await("the job queued", Duration.ofSeconds(10),
        () -> admin.get("/admin/v1/jobs?state=QUEUED").json().path("value").size() == 1);
    String id = admin.get("/admin/v1/jobs?state=QUEUED").json().path("value").get(0).path("id").asText();

    Reply cancelled = admin.post("/admin/v1/jobs/" + id + "/cancel", "{}");
    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    assertThat(cancelled.json().path("state").asText()).isEqualTo("CANCELLED");
    Reply heard = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(heard.status()).isEqualTo(409);
    assertThat(heard.problem().code()).isEqualTo("FERRY-RELAY-0307");
    assertThat(tenant.engine().get("/v1/operations/" + id).problem().code()).isEqualTo("FERRY-RELAY-0307");
    assertThat(agent.poll(10).jobs()).as("a cancelled job is never handed out").isEmpty();
    assertThat(admin.post("/admin/v1/jobs/" + id + "/cancel", "{}").status()).isEqualTo(409);
    assertThat(admin.post("/admin/v1/jobs/" + id + "/retry", "{}").status()).isEqualTo(409);

    String leasedId = queue(tenant);
    JobEnvelope leased = agent.takeOne();
    Reply refused = admin.post("/admin/v1/jobs/" + leasedId + "/cancel", "{}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.problem().detail()).contains("LEASED", "may be writing to SAP");
    agent.succeed(leased, Fixtures.created(leased.customer(), "0000100003"));

    JsonNode ended = admin.get("/admin/v1/audit?action=job.ended").json().path("events");
    assertThat(ended).anySatisfy(e -> {
      assertThat(e.path("subject").asText()).isEqualTo(id);
      assertThat(e.path("outcome").asText()).isEqualTo("CANCELLED");
    });
    JsonNode cancels = admin.get("/admin/v1/audit?action=admin.job.cancel").json().path("events");
    assertThat(cancels).extracting(e -> e.path("outcome").asText()).containsExactly("SUCCEEDED", "REFUSED", "REFUSED");
  }

  @Test
  void pagesFollowNextLinkAndBadParametersAreProblemsNamingTheField() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();
    Engine admin = admin(tenant);
    String first = queue(tenant);
    String second = queue(tenant);
    String third = queue(tenant);

    Reply page1 = admin.get("/admin/v1/jobs?limit=2");
    assertThat(page1.json().path("value")).extracting(j -> j.path("id").asText()).containsExactly(third, second);
    String next = page1.json().path("nextLink").asText();
    assertThat(next).startsWith(relay.base().toString()).contains("limit=2", "cursor=" + second);
    Reply page2 = admin.get(next);
    assertThat(page2.json().path("value")).extracting(j -> j.path("id").asText()).containsExactly(first);
    assertThat(page2.json().has("nextLink")).isFalse();

    for (String[] bad : new String[][] {{"state=DONE", "state"}, {"action=customer.delete", "action"},
        {"limit=0", "limit"}, {"limit=201", "limit"}, {"cursor=x", "cursor"}}) {
      Reply reply = admin.get("/admin/v1/jobs?" + bad[0]);
      assertThat(reply.status()).as(bad[0]).isEqualTo(400);
      assertThat(reply.problem().errors()).extracting(e -> e.field()).containsExactly(bad[1]);
    }
    Reply badId = admin.get("/admin/v1/jobs/not-a-job");
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.problem().errors().get(0).field()).isEqualTo("id");
    assertThat(admin.get("/admin/v1/jobs/01JC0000000000000000000000").status()).isEqualTo(404);
    assertThat(admin.get("/admin/v1/batches/01JC0000000000000000000000").status()).isEqualTo(404);
    assertThat(tenant.engine().get("/admin/v1/jobs").status()).as("an engine key is no admin key").isEqualTo(403);
  }

  @Test
  void batchesAreListedWithTheirCountsAndShownWithTheirFailedRecords() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent();
    Engine admin = admin(tenant);
    String csv = "externalId,name,street,postalCode,city,country,language,currency,salesOrganization,"
        + "distributionChannel,division\n"
        + "B-1,Muster GmbH,Hauptstrasse,69190,Walldorf,DE,de,EUR,1000,10,00\n"
        + "B-2,,Hauptstrasse,69190,Walldorf,DE,de,EUR,1000,10,00\n";
    Reply accepted = tenant.engine().postBody("/v1/customer-batches?mode=insert&errorHandling=continue", csv,
        "text/csv");
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String location = accepted.header("Location");
    String batchId = location.substring(location.lastIndexOf('/') + 1);

    Reply list = admin.get("/admin/v1/batches");
    assertThat(list.status()).isEqualTo(200);
    JsonNode b = list.json().path("value").get(0);
    assertThat(b.path("id").asText()).isEqualTo(batchId);
    assertThat(b.path("mode").asText()).isEqualTo("insert");
    assertThat(b.path("counts").path("total").asInt()).isEqualTo(2);
    assertThat(b.path("counts").path("failed").asInt()).isEqualTo(1);

    Reply detail = admin.get("/admin/v1/batches/" + batchId);
    assertThat(detail.status()).isEqualTo(200);
    JsonNode failed = detail.json().path("failedRecords");
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).path("recordIndex").asInt()).isEqualTo(2);
    assertThat(failed.get(0).path("problem").path("errors").toString()).contains("name");
  }
}
