package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.relay.auth.Scope;
import io.ferry.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scopes on the engine API, and the admin API under /admin/v1 that a tenant's admin key drives. */
class AdminApiTest {

  @TempDir
  static Path dataDir;
  static TestRelay relay;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c);
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  private static Engine keyWith(TestRelay.Tenant tenant, Scope... scopes) {
    return new Engine(relay.base(), relay.relay.admin().createApiKey(tenant.id(), Set.of(scopes), null).key());
  }

  @Test
  void aReadOnlyKeyCannotWriteAndTheProblemNamesTheMissingScope() {
    Engine reader = keyWith(relay.tenant(), Scope.CUSTOMERS_READ);
    Reply reply = reader.post("/v1/customers", Fixtures.CUSTOMER_JSON);
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.problem().code()).isEqualTo("FERRY-RELAY-0206");
    assertThat(reply.problem().detail()).contains("customers:write");
    assertThat(reply.header("WWW-Authenticate")).contains("insufficient_scope").contains("customers:write");
    assertThat(reader.put("/v1/customers/by-external-id/CRM-1", Fixtures.CUSTOMER_JSON).status()).isEqualTo(403);
    assertThat(reader.patch("/v1/customers/0000100001", "{}", "application/merge-patch+json").status())
        .isEqualTo(403);
  }

  @Test
  void aWriteOnlyKeyCannotReadCustomers() {
    Engine writer = keyWith(relay.tenant(), Scope.CUSTOMERS_WRITE);
    Reply reply = writer.get("/v1/customers/0000100001");
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.problem().detail()).contains("customers:read");
    assertThat(writer.get("/v1/customers?search=x").status()).isEqualTo(403);
  }

  @Test
  void anAdminKeyIsNoEngineKeyAndAnEngineKeyNoAdminKey() {
    TestRelay.Tenant tenant = relay.tenant();
    Reply engineAsAdmin = tenant.engine().get("/admin/v1/keys");
    assertThat(engineAsAdmin.status()).isEqualTo(403);
    assertThat(engineAsAdmin.problem().detail()).contains("admin");
    Engine admin = keyWith(tenant, Scope.ADMIN);
    Reply adminAsEngine = admin.post("/v1/customers", Fixtures.CUSTOMER_JSON);
    assertThat(adminAsEngine.status()).isEqualTo(403);
    assertThat(adminAsEngine.problem().detail()).contains("customers:write");
  }

  @Test
  void anAdminMakesListsAndRevokesKeysOfItsTenant() {
    TestRelay.Tenant tenant = relay.tenant();
    Engine admin = keyWith(tenant, Scope.ADMIN);
    Reply created = admin.post("/admin/v1/keys", "{\"scopes\": [\"customers:read\"], \"expiresAt\": \"2099-01-01T00:00:00Z\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Cache-Control")).isEqualTo("no-store");
    JsonNode key = created.json();
    assertThat(key.path("key").asText()).startsWith("fk_" + key.path("id").asText() + "_");
    assertThat(key.path("webhookSecret").asText()).startsWith("whsec_");
    assertThat(key.path("scopes").toString()).isEqualTo("[\"customers:read\"]");
    assertThat(key.path("expiresAt").asText()).isEqualTo("2099-01-01T00:00:00Z");

    Engine made = new Engine(relay.base(), key.path("key").asText());
    assertThat(made.get("/v1/connection").status()).isEqualTo(200);

    Reply listed = admin.get("/admin/v1/keys");
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.body()).contains(key.path("id").asText()).doesNotContain(key.path("key").asText())
        .doesNotContain("hash");
    assertThat(listed.json().path("keys")).hasSize(3); // the engine key, the admin key, the new one

    assertThat(admin.delete("/admin/v1/keys/" + key.path("id").asText()).status()).isEqualTo(204);
    assertThat(made.get("/v1/connection").status()).isEqualTo(401);
    assertThat(admin.get("/admin/v1/keys").body()).contains("revokedAt\":\"");
  }

  @Test
  void anAdminSeesOnlyItsOwnTenant() {
    TestRelay.Tenant a = relay.tenant();
    TestRelay.Tenant b = relay.tenant();
    Engine adminOfA = keyWith(a, Scope.ADMIN);
    Reply tenants = adminOfA.get("/admin/v1/tenants");
    assertThat(tenants.json().path("tenants")).hasSize(1);
    assertThat(tenants.json().path("tenants").get(0).path("id").asText()).isEqualTo(a.id());

    String keyOfB = relay.relay.admin().apiKeys(b.id()).get(0).id();
    Reply revoke = adminOfA.delete("/admin/v1/keys/" + keyOfB);
    assertThat(revoke.status()).isEqualTo(404);
    assertThat(revoke.problem().code()).isEqualTo("FERRY-RELAY-0105");
    assertThat(b.engine().get("/v1/connection").status()).isEqualTo(200);
    assertThat(adminOfA.get("/admin/v1/keys").body()).doesNotContain(keyOfB);

    FakeAgent agentOfB = b.enrollAgent();
    assertThat(adminOfA.post("/admin/v1/agents/" + agentOfB.identity.agentId() + "/disable", "{}").status())
        .isEqualTo(404);
    assertThat(adminOfA.get("/admin/v1/agents").body()).doesNotContain(agentOfB.identity.agentId());
    assertThat(agentOfB.pollRaw(1).status()).isNotEqualTo(401);
  }

  /**
   * Issue 15: inFlight was the count the agent last reported, as old as its last poll; now it is the jobs
   * leased to the agent at the moment of the request.
   */
  @Test
  void anAgentsInFlightCountIsTheJobsItHoldsNow() {
    TestRelay.Tenant tenant = relay.tenant();
    Engine admin = keyWith(tenant, Scope.ADMIN);
    FakeAgent agent = tenant.enrollAgent();
    tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
    io.ferry.protocol.JobEnvelope job = agent.takeOne();
    assertThat(admin.get("/admin/v1/agents").json().path("agents").get(0).path("inFlight").asInt()).isEqualTo(1);

    assertThat(agent.succeed(job, Fixtures.sample("0000100001")).status()).isBetween(200, 204);
    assertThat(admin.get("/admin/v1/agents").json().path("agents").get(0).path("inFlight").asInt())
        .as("the result is in: nothing in flight, without waiting for the agent's next poll").isZero();
  }

  @Test
  void aDisabledAgentIsRefusedAtItsNextRequest() {
    TestRelay.Tenant tenant = relay.tenant();
    Engine admin = keyWith(tenant, Scope.ADMIN);
    Reply token = admin.post("/admin/v1/enrollment-tokens", "{\"group\": \"plant-2\"}");
    assertThat(token.status()).isEqualTo(201);
    assertThat(token.json().path("group").asText()).isEqualTo("plant-2");
    FakeAgent agent = FakeAgent.enroll(relay.base(), token.json().path("token").asText());
    assertThat(agent.identity.agentGroup()).isEqualTo("plant-2");
    assertThat(agent.identity.tenantId()).isEqualTo(tenant.id());

    Reply agents = admin.get("/admin/v1/agents");
    assertThat(agents.json().path("agents").get(0).path("id").asText()).isEqualTo(agent.identity.agentId());
    assertThat(agents.json().path("agents").get(0).path("disabledAt").isNull()).isTrue();

    assertThat(admin.post("/admin/v1/agents/" + agent.identity.agentId() + "/disable", "{}").status()).isEqualTo(204);
    Reply poll = agent.pollRaw(1);
    assertThat(poll.status()).isEqualTo(401);
    assertThat(poll.problem().code()).isEqualTo("FERRY-RELAY-0203");
    assertThat(admin.get("/admin/v1/agents").json().path("agents").get(0).path("disabledAt").asText()).isNotEmpty();
  }

  @Test
  void invalidAdminRequestsAreProblems() {
    Engine admin = keyWith(relay.tenant(), Scope.ADMIN);
    Reply noScopes = admin.post("/admin/v1/keys", "{\"scopes\": []}");
    assertThat(noScopes.status()).isEqualTo(422);
    assertThat(noScopes.problem().detail()).contains("customers:read");
    assertThat(admin.post("/admin/v1/keys", "{\"scopes\": [\"root\"]}").status()).isEqualTo(422);
    assertThat(admin.post("/admin/v1/keys", "{\"scopes\": [\"admin\"], \"expiresAt\": \"tomorrow\"}").status())
        .isEqualTo(422);
    assertThat(admin.post("/admin/v1/keys", "{\"scopes\": [\"admin\"], \"expiresAt\": \"2001-01-01T00:00:00Z\"}")
        .status()).isEqualTo(422);
    assertThat(admin.post("/admin/v1/enrollment-tokens", "{\"group\": \"no spaces\"}").status()).isEqualTo(422);
    assertThat(admin.post("/admin/v1/enrollment-tokens", "{\"group\": \"g\", \"validForSeconds\": 0}").status())
        .isEqualTo(422);
    assertThat(admin.post("/admin/v1/keys", "[").problem().code()).isEqualTo("FERRY-RELAY-0100");
    assertThat(admin.delete("/admin/v1/keys/not-a-key").status()).isEqualTo(422);
    assertThat(new Engine(relay.base(), null).get("/admin/v1/keys").status()).isEqualTo(401);
  }

  @Test
  void anExpiredKeyIsRefused(@TempDir Path otherDir) {
    ManualClock clock = ManualClock.now();
    try (TestRelay timed = TestRelay.start(otherDir, c -> c, clock)) {
      String tenant = timed.relay.admin().createTenant("expiring");
      String key = timed.relay.admin().createApiKey(tenant, Scope.ENGINE, clock.instant().plus(Duration.ofHours(1)))
          .key();
      Engine engine = new Engine(timed.base(), key);
      assertThat(engine.get("/v1/connection").status()).isEqualTo(200);
      clock.advance(Duration.ofHours(2));
      Reply expired = engine.get("/v1/connection");
      assertThat(expired.status()).isEqualTo(401);
      assertThat(expired.problem().code()).isEqualTo("FERRY-RELAY-0202");
    }
  }
}
