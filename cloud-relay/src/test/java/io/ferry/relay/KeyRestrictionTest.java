package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.JobEnvelope;
import io.ferry.relay.auth.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API key restricted to some functions and OData services: made and listed through the admin API, refused with 403
 * naming the function or service and the fix outside them, and shown only its own in the lists.
 */
class KeyRestrictionTest {

  @TempDir
  static Path dataDir;
  static TestRelay relay;
  static TestRelay.Tenant tenant;
  static Engine admin;
  static FakeAgent agent;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c.withPollHold(Duration.ofSeconds(1)));
    tenant = relay.tenant();
    admin = new Engine(relay.base(), relay.relay.admin().createApiKey(tenant.id(), Set.of(Scope.ADMIN), null).key());
    agent = tenant.enrollAgent();
    agent.pollReporting(1, null, 0);
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void aRestrictedKeyIsMadeListedAndKeptToItsFunctionsAndServices() throws Exception {
    Reply made = admin.post("/admin/v1/keys", "{\"scopes\":[\"functions:call\",\"odata:read\",\"odata:write\"],"
        + "\"functions\":[\"rfc_read_table\",\"BAPI_COMPANYCODE_GETLIST\"],\"odataServices\":[\"API_BUSINESS_PARTNER\"]}");
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    assertThat(made.json().get("functions").toString()).isEqualTo("[\"BAPI_COMPANYCODE_GETLIST\",\"RFC_READ_TABLE\"]");
    assertThat(made.json().get("odataServices").toString()).isEqualTo("[\"API_BUSINESS_PARTNER\"]");
    String id = made.json().get("id").asText();
    JsonNode listed = null;
    for (JsonNode k : admin.get("/admin/v1/keys").json().get("keys")) {
      if (k.get("id").asText().equals(id)) {
        listed = k;
      } else {
        assertThat(k.has("functions")).as("an unrestricted key lists no restriction").isFalse();
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.get("functions").toString()).isEqualTo("[\"BAPI_COMPANYCODE_GETLIST\",\"RFC_READ_TABLE\"]");
    assertThat(listed.get("odataServices").toString()).isEqualTo("[\"API_BUSINESS_PARTNER\"]");

    Engine restricted = new Engine(relay.base(), made.json().get("key").asText());
    Reply otherFunction = restricted.post("/v1/functions/BAPI_USER_GET_DETAIL", "{}");
    assertThat(otherFunction.status()).isEqualTo(403);
    assertThat(otherFunction.problem().code()).isEqualTo("FERRY-RELAY-0210");
    assertThat(otherFunction.problem().detail()).contains("BAPI_USER_GET_DETAIL").contains("--functions");
    assertThat(restricted.get("/v1/functions/BAPI_USER_GET_DETAIL").status()).isEqualTo(403);
    Reply otherService = restricted.get("/v1/odata/API_SALES_ORDER_SRV/A_SalesOrder");
    assertThat(otherService.status()).isEqualTo(403);
    assertThat(otherService.problem().detail()).contains("API_SALES_ORDER_SRV").contains("--odata-services");
    assertThat(restricted.get("/v1/odata/API_SALES_ORDER_SRV/$metadata").status()).isEqualTo(403);

    // The lists show what the agent allows within the restriction only.
    CompletableFuture<Reply> functions = restricted.getAsync("/v1/functions");
    JobEnvelope job = agent.takeReporting(null);
    agent.produce(job, new io.ferry.protocol.Catalog(null, java.util.List.of(
        new io.ferry.protocol.Catalog.Function("RFC_READ_TABLE", null, false),
        new io.ferry.protocol.Catalog.Function("BAPI_USER_GET_DETAIL", null, false)), java.util.List.of(
        new io.ferry.protocol.Catalog.ODataResource("API_BUSINESS_PARTNER", "*", java.util.List.of("GET")),
        new io.ferry.protocol.Catalog.ODataResource("API_SALES_ORDER_SRV", "*", java.util.List.of("GET")))));
    Reply listedFunctions = functions.get(10, TimeUnit.SECONDS);
    assertThat(listedFunctions.json().get("functions")).extracting(f -> f.get("name").asText())
        .containsExactly("RFC_READ_TABLE");
    // So does the operation of that list: it was rendered for the key that asked.
    assertThat(restricted.get("/v1/operations/" + job.jobId()).json().get("functions")).hasSize(1);

    CompletableFuture<Reply> services = restricted.getAsync("/v1/odata");
    agent.produce(agent.takeReporting(null), new io.ferry.protocol.Catalog(null, null, java.util.List.of(
        new io.ferry.protocol.Catalog.ODataResource("API_BUSINESS_PARTNER", "*", java.util.List.of("GET")),
        new io.ferry.protocol.Catalog.ODataResource("API_SALES_ORDER_SRV", "*", java.util.List.of("GET")))));
    assertThat(services.get(10, TimeUnit.SECONDS).json().get("resources")).extracting(r -> r.get("service").asText())
        .containsExactly("API_BUSINESS_PARTNER");
  }

  @Test
  void aRestrictionThatIsNoListOfNamesIs422NamingIt() {
    Reply empty = admin.post("/admin/v1/keys", "{\"scopes\":[\"functions:call\"],\"functions\":[]}");
    assertThat(empty.status()).isEqualTo(422);
    assertThat(empty.problem().errors()).extracting(e -> e.field()).containsExactly("functions");
    Reply badName = admin.post("/admin/v1/keys", "{\"scopes\":[\"functions:call\"],\"functions\":[\"NO SPACES\"]}");
    assertThat(badName.status()).isEqualTo(422);
    assertThat(badName.problem().errors()).extracting(e -> e.field()).containsExactly("functions");
    Reply badService = admin.post("/admin/v1/keys", "{\"scopes\":[\"odata:read\"],\"odataServices\":[\"a/b\"]}");
    assertThat(badService.status()).isEqualTo(422);
    assertThat(badService.problem().errors()).extracting(e -> e.field()).containsExactly("odataServices");
  }

  @Test
  void newKeysTakeTheGenericScopesByDefaultAndOlderScopesAreNotWidened() {
    assertThat(Scope.ENGINE).contains(Scope.FUNCTIONS_CALL, Scope.ODATA_READ, Scope.ODATA_WRITE);
    Engine older = new Engine(relay.base(), relay.relay.admin()
        .createApiKey(tenant.id(), Set.of(Scope.CUSTOMERS_READ, Scope.SALES_ORDERS_READ), null).key());
    assertThat(older.get("/v1/functions").status()).isEqualTo(403);
  }
}
