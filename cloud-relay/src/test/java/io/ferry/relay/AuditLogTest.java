package io.ferry.relay;

import io.ferry.relay.admin.RelayAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.AgentKeyChange;
import io.ferry.protocol.AgentToken;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.Protocol;
import io.ferry.relay.auth.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The append-only audit log: every kind of event, read through GET /admin/v1/audit, per tenant, without secrets. */
class AuditLogTest {

  @TempDir
  Path dataDir;

  @Test
  void everyActionAppearsAfterItIsDoneAndNothingSecretIsInTheTable() throws Exception {
    List<String> secrets = new ArrayList<>();
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withSyncWindow(Duration.ofMillis(500))
        .withJobDeadline(Duration.ofSeconds(1)))) {
      TestRelay.Tenant tenant = relay.tenant();
      RelayAdmin.ApiKey adminKey = relay.relay.admin().createApiKey(tenant.id(), Set.of(Scope.ADMIN), null);
      Engine admin = new Engine(relay.base(), adminKey.key());
      secrets.add(adminKey.key());
      secrets.add(adminKey.webhookSecret());
      secrets.add(tenant.apiKey());

      JsonNode created = admin.post("/admin/v1/keys", "{\"scopes\":[\"customers:read\"]}").json();
      secrets.add(created.get("key").asText());
      secrets.add(created.get("webhookSecret").asText());
      assertThat(admin.delete("/admin/v1/keys/" + created.get("id").asText()).status()).isEqualTo(204);
      String token = admin.post("/admin/v1/enrollment-tokens", "{\"group\":\"plant-1\"}").json().get("token").asText();
      secrets.add(token);
      FakeAgent agent = FakeAgent.enrollWithKeyPair(relay.base(), token);
      Reply rotated = agent.postWith(agent.authorization("POST", Protocol.KEY_PATH), Protocol.KEY_PATH,
          new AgentKeyChange(Protocol.VERSION, AgentToken.encodePublicKey(AgentToken.newKeyPair().getPublic()), null));
      assertThat(rotated.status()).isEqualTo(200);

      Reply accepted = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      String succeededJob = accepted.json().get("id").asText();
      JobEnvelope job = agent.takeOne();
      assertThat(agent.succeed(job, Fixtures.created(Fixtures.sample(null), "0000100001")).status()).isEqualTo(204);
      Reply expiring = tenant.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      String expiredJob = expiring.json().get("id").asText();
      Fixtures.await("the second job to expire", Duration.ofSeconds(10),
          () -> events(admin, "?action=job.ended").stream().anyMatch(e -> e.get("subject").asText().equals(expiredJob)));
      assertThat(admin.post("/admin/v1/agents/" + agent.identity.agentId() + "/disable", "").status()).isEqualTo(204);

      List<JsonNode> all = events(admin, "");
      assertThat(all).extracting(e -> e.get("action").asText()).contains("admin.key.create", "admin.key.revoke",
          "admin.enrollment-token.create", "agent.enroll", "agent.key.rotate", "job.accepted", "job.ended",
          "admin.agent.disable");
      assertThat(all).anySatisfy(e -> {
        assertThat(e.get("action").asText()).isEqualTo("job.ended");
        assertThat(e.get("subject").asText()).isEqualTo(succeededJob);
        assertThat(e.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(e.get("actor").asText()).isEqualTo(agent.identity.agentId());
      });
      assertThat(all).anySatisfy(e -> {
        assertThat(e.get("subject").asText()).isEqualTo(expiredJob);
        assertThat(e.get("outcome").asText()).isEqualTo("EXPIRED");
      });
      assertThat(all).anySatisfy(e -> {
        assertThat(e.get("action").asText()).isEqualTo("admin.key.create");
        assertThat(e.get("actor").asText()).isEqualTo(adminKey.id());
        assertThat(e.get("subject").asText()).isEqualTo(created.get("id").asText());
      });
      assertThat(all).anySatisfy(e -> {
        assertThat(e.get("action").asText()).isEqualTo("job.accepted");
        assertThat(e.get("actor").asText()).isEqualTo(relay.relay.admin().apiKeys(tenant.id()).get(0).id());
      });

      // Paging two at a time finds the same events in the same order.
      List<JsonNode> paged = new ArrayList<>();
      String next = "/admin/v1/audit?limit=2";
      while (next != null) {
        JsonNode page = admin.get(next).json();
        page.get("events").forEach(paged::add);
        next = page.hasNonNull("nextLink") ? page.get("nextLink").asText() : null;
      }
      assertThat(paged).extracting(e -> e.get("id").asText())
          .containsExactlyElementsOf(all.stream().map(e -> e.get("id").asText()).toList());
    }

    String table = dumpAuditTable();
    assertThat(table).contains("admin.key.create");
    for (String secret : secrets) {
      assertThat(table).doesNotContain(secret);
    }
    assertThat(table).doesNotContain("Muster").doesNotContain("info@muster.example");
  }

  @Test
  void aTenantAdminSeesOnlyItsOwnTenantsEvents() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant a = relay.tenant();
      TestRelay.Tenant b = relay.tenant();
      a.enrollAgent();
      b.enrollAgent();
      a.engine().post("/v1/customers", Fixtures.CUSTOMER_JSON, "Prefer", "respond-async");
      Engine adminB = new Engine(relay.base(),
          relay.relay.admin().createApiKey(b.id(), Set.of(Scope.ADMIN), null).key());
      Engine adminA = new Engine(relay.base(),
          relay.relay.admin().createApiKey(a.id(), Set.of(Scope.ADMIN), null).key());

      assertThat(events(adminA, "?action=job.accepted")).hasSize(1);
      assertThat(events(adminB, "?action=job.accepted")).isEmpty();
      assertThat(events(adminB, "")).extracting(e -> e.get("action").asText()).containsOnly("agent.enroll");
      Reply engineKey = a.engine().get("/admin/v1/audit");
      assertThat(engineKey.status()).isEqualTo(403);
    }
  }

  @Test
  void badParametersAre400NamingThem() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c)) {
      TestRelay.Tenant t = relay.tenant();
      Engine admin = new Engine(relay.base(), relay.relay.admin().createApiKey(t.id(), Set.of(Scope.ADMIN), null).key());
      for (String q : List.of("since=yesterday", "limit=0", "limit=5000", "cursor=x", "action=DROP%20TABLE")) {
        Reply r = admin.get("/admin/v1/audit?" + q);
        assertThat(r.status()).as(q).isEqualTo(400);
        assertThat(r.problem().code()).isEqualTo("FERRY-RELAY-0113");
        assertThat(r.problem().errors()).extracting(e -> e.field()).containsExactly(q.substring(0, q.indexOf('=')));
      }
      assertThat(admin.get("/admin/v1/audit?since=2020-01-01T00:00:00Z&limit=5").status()).isEqualTo(200);
    }
  }

  /** Guards the append-only promise: no statement of the relay changes or removes an audit row. */
  @Test
  void noStatementUpdatesOrDeletesAuditEvents() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f).toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
        assertThat(text).as(f.toString()).doesNotContain("update audit_events").doesNotContain("delete from audit_events")
            .doesNotContain("drop table audit_events");
      }
    }
  }

  private static List<JsonNode> events(Engine admin, String query) {
    Reply reply = admin.get("/admin/v1/audit" + query);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    List<JsonNode> events = new ArrayList<>();
    reply.json().get("events").forEach(events::add);
    return events;
  }

  private String dumpAuditTable() throws Exception {
    StringBuilder all = new StringBuilder();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("relay.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM audit_events")) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          all.append(rs.getString(i)).append('|');
        }
        all.append('\n');
      }
    }
    return all.toString();
  }
}
