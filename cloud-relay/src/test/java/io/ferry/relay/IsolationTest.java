package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import io.ferry.relay.auth.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks across tenants and agent groups, each performed and refused: an agent of tenant B or of
 * group G2 cannot take, renew or complete a job of tenant A or group G1, and a key of B cannot read A's
 * operations or customers, and an admin key of B cannot list, show, retry or cancel A's jobs or batches.
 */
class IsolationTest {

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

  private static String queue(TestRelay.Tenant tenant, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Prefer";
    all[1] = "respond-async";
    System.arraycopy(headers, 0, all, 2, headers.length);
    Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, all);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String location = accepted.header("Location");
    return location.substring(location.lastIndexOf('/') + 1);
  }

  @Test
  void anAgentOfAnotherTenantCannotPollRenewOrCompleteTheJob() {
    TestRelay.Tenant a = relay.tenant();
    TestRelay.Tenant b = relay.tenant();
    FakeAgent agentOfA = FakeAgent.enrollWithKeyPair(relay.base(), a.enrollmentToken());
    FakeAgent agentOfB = FakeAgent.enrollWithKeyPair(relay.base(), b.enrollmentToken());
    String jobId = queue(a);

    assertThat(agentOfB.poll(10).jobs()).isEmpty();
    JobEnvelope job = agentOfA.takeOne();
    assertThat(job.jobId()).isEqualTo(jobId);

    Reply renew = agentOfB.renew(jobId, job.attempt());
    assertThat(renew.status()).isEqualTo(404);
    assertThat(renew.problem().code()).isEqualTo("FERRY-RELAY-0302");
    Reply complete = agentOfB.result(JobResult.succeeded(job, Fixtures.created(job.customer(), "0000100001")));
    assertThat(complete.status()).isEqualTo(404);

    assertThat(agentOfA.succeed(job, Fixtures.created(job.customer(), "0000100002")).status()).isEqualTo(204);
    assertThat(a.engine().get("/v1/operations/" + jobId).body()).contains("0000100002");
  }

  @Test
  void anAgentOfAnotherGroupCannotTakeRenewOrCompleteTheJob() {
    TestRelay.Tenant tenant = relay.tenant();
    FakeAgent g1 = FakeAgent.enrollWithKeyPair(relay.base(),
        relay.relay.admin().createEnrollmentToken(tenant.id(), "g1", Duration.ofMinutes(10)));
    FakeAgent g2 = FakeAgent.enrollWithKeyPair(relay.base(),
        relay.relay.admin().createEnrollmentToken(tenant.id(), "g2", Duration.ofMinutes(10)));
    String jobId = queue(tenant, "X-Ferry-Agent-Group", "g1");

    assertThat(g2.poll(10).jobs()).isEmpty();
    JobEnvelope job = g1.takeOne();
    assertThat(job.jobId()).isEqualTo(jobId);

    assertThat(g2.renew(jobId, job.attempt()).status()).isEqualTo(409);
    assertThat(g2.result(JobResult.succeeded(job, Fixtures.created(job.customer(), "0000100001"))).status())
        .isEqualTo(409);
    assertThat(g1.succeed(job, Fixtures.created(job.customer(), "0000100003")).status()).isEqualTo(204);
  }

  @Test
  void aJobForAGroupWithoutAnAgentOnlineIsNotQueuedAndABadGroupIsRefused() {
    TestRelay.Tenant tenant = relay.tenant();
    tenant.enrollAgent(); // group "default"
    Reply noAgent = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "X-Ferry-Agent-Group", "plant-9");
    assertThat(noAgent.status()).isEqualTo(503);
    assertThat(noAgent.problem().detail()).contains("plant-9");
    Reply bad = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "X-Ferry-Agent-Group", "no spaces");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.problem().code()).isEqualTo("FERRY-RELAY-0113");
  }

  @Test
  void aKeyOfAnotherTenantCannotReadTheOperationOrTheCustomers() {
    TestRelay.Tenant a = relay.tenant();
    TestRelay.Tenant b = relay.tenant();
    FakeAgent agentOfA = FakeAgent.enrollWithKeyPair(relay.base(), a.enrollmentToken());
    String jobId = queue(a);

    Reply operation = b.engine().get("/v1/operations/" + jobId);
    assertThat(operation.status()).isEqualTo(404);
    assertThat(operation.problem().code()).isEqualTo("FERRY-RELAY-0302");

    // B's read goes to B's own agents only: with none online nothing is queued, and A's agent sees nothing.
    Reply customer = b.engine().get("/v1/customers/0000100001");
    assertThat(customer.status()).isEqualTo(503);
    Reply list = b.engine().get("/v1/customers?search=Acme");
    assertThat(list.status()).isEqualTo(503);
    JobEnvelope only = agentOfA.takeOne();
    assertThat(only.jobId()).isEqualTo(jobId);
    assertThat(agentOfA.poll(10).jobs()).isEmpty();
  }

  @Test
  void anAdminKeyOfAnotherTenantCannotSeeRetryOrCancelTheJobsOrBatches() {
    TestRelay.Tenant a = relay.tenant();
    TestRelay.Tenant b = relay.tenant();
    FakeAgent agentOfA = FakeAgent.enrollWithKeyPair(relay.base(), a.enrollmentToken());
    Engine adminOfB = new Engine(relay.base(),
        relay.relay.admin().createApiKey(b.id(), Set.of(Scope.ADMIN), null).key());
    String queued = queue(a);
    String failed = queue(a);
    JobEnvelope first = agentOfA.takeOne();
    assertThat(first.jobId()).isEqualTo(queued);
    agentOfA.fail(first, new io.ferry.protocol.JobError(io.ferry.protocol.JobError.Kind.SAP_BUSINESS_ERROR,
        "FERRY-SAP-0001", "SAP refused the customer", null));
    Reply batch = a.engine().postBody("/v1/customer-batches?mode=insert", "[" + Fixtures.CUSTOMER_JSON + "]",
        "application/json");
    assertThat(batch.status()).as(batch.toString()).isEqualTo(202);
    String batchId = batch.header("Location").substring(batch.header("Location").lastIndexOf('/') + 1);

    assertThat(adminOfB.get("/admin/v1/jobs").json().path("value")).isEmpty();
    assertThat(adminOfB.get("/admin/v1/batches").json().path("value")).isEmpty();
    for (String id : new String[] {queued, failed}) {
      assertThat(adminOfB.get("/admin/v1/jobs/" + id).status()).isEqualTo(404);
      assertThat(adminOfB.post("/admin/v1/jobs/" + id + "/retry", "{}").status()).isEqualTo(404);
      assertThat(adminOfB.post("/admin/v1/jobs/" + id + "/cancel", "{}").status()).isEqualTo(404);
    }
    assertThat(adminOfB.get("/admin/v1/batches/" + batchId).status()).isEqualTo(404);

    // Nothing of A changed: its queued job is still there for its agent.
    Engine adminOfA = new Engine(relay.base(),
        relay.relay.admin().createApiKey(a.id(), Set.of(Scope.ADMIN), null).key());
    assertThat(adminOfA.get("/admin/v1/jobs/" + failed).json().path("state").asText()).isEqualTo("QUEUED");
    assertThat(adminOfA.get("/admin/v1/jobs/" + queued).json().path("state").asText()).isEqualTo("FAILED");
    assertThat(adminOfA.get("/admin/v1/batches/" + batchId).status()).isEqualTo(200);
  }
}
