package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Protocol;
import io.ferry.relay.Relay;
import io.ferry.relay.config.RelayConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ferry admin …` against a running relay, with the admin key `ferry relay bootstrap` printed. */
class AdminCommandTest {

  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();
  private Relay relay;
  private Path config;
  private String engineKey;

  @BeforeEach
  void startRelayAndBootstrap() throws Exception {
    relay = Relay.start(RelayConfig.defaults(dir.resolve("relay")).withHost("127.0.0.1").withPort(0));
    assertThat(run("relay", "bootstrap", "--data-dir", dir.resolve("relay").toString(), "--tenant", "acme"))
        .isEqualTo(ExitCode.OK);
    engineKey = find("API key: +(fk_\\S+)");
    String adminKey = find("admin key: +(fk_\\S+)");
    config = Files.writeString(dir.resolve("admin.properties"),
        "admin.relay=" + relay.baseUrl() + "\nadmin.key=" + adminKey + "\n");
    out = new StringWriter();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return FerryCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  private String find(String regex) {
    Matcher m = Pattern.compile(regex).matcher(out.toString());
    assertThat(m.find()).as("'%s' in %s", regex, out).isTrue();
    return m.group(1);
  }

  @Test
  void theBootstrapAdminKeyCreatesListsAndRevokesKeys() throws Exception {
    assertThat(run("admin", "keys", "create", "--config", config.toString(), "--scope", "customers:read",
        "--expires-in", "30d")).isEqualTo(ExitCode.OK);
    String made = find("API key: +(fk_\\S+)");
    assertThat(out.toString()).contains("scopes:         customers:read", "whsec_");
    String id = made.substring(3, 29);

    assertThat(run("admin", "keys", "list", "--config", config.toString(), "--output", "json")).isEqualTo(ExitCode.OK);
    JsonNode keys = Protocol.json().readTree(out.toString()).path("keys");
    assertThat(keys).hasSize(3);
    assertThat(out.toString()).doesNotContain(made);

    assertThat(run("admin", "keys", "list", "--config", config.toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).startsWith("ID ").contains(id, "customers:read customers:write", "admin");

    assertThat(run("admin", "keys", "revoke", made, "--config", config.toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("API key " + id + " revoked").doesNotContain(made);
    assertThat(relay.admin().apiKeys(relay.admin().createTenant("acme"))).anyMatch(k -> k.id().equals(id)
        && k.revokedAt() != null);

    assertThat(run("admin", "keys", "revoke", "01JC0000000000000000000000", "--config", config.toString()))
        .isEqualTo(ExitCode.NOT_FOUND);
    assertThat(err.toString()).contains("404", "no API key");
  }

  @Test
  void agentsEnrollPrintsAOneTimeTokenForTheKeysOwnTenantOnly() {
    assertThat(run("admin", "agents", "enroll", "--tenant", "acme", "--group", "plant-1", "--config",
        config.toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).containsPattern("enrollment token: +fe_\\S+").contains("plant-1");

    assertThat(run("admin", "agents", "enroll", "--tenant", "globex", "--config", config.toString()))
        .isEqualTo(ExitCode.NOT_AUTHORIZED);
    assertThat(err.toString()).contains("administers tenant 'acme'");

    assertThat(run("admin", "agents", "list", "--config", config.toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).startsWith("ID ");
    assertThat(run("admin", "agents", "disable", "01JC0000000000000000000000", "--config", config.toString()))
        .isEqualTo(ExitCode.NOT_FOUND);
    assertThat(run("admin", "agents", "enroll", "--group", "no spaces", "--config", config.toString()))
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void anEngineKeyIsNotAnAdminKey() throws Exception {
    Path engineConfig = Files.writeString(dir.resolve("engine.properties"),
        "admin.relay=" + relay.baseUrl() + "\nadmin.key=" + engineKey + "\n");
    assertThat(run("admin", "keys", "list", "--config", engineConfig.toString())).isEqualTo(ExitCode.NOT_AUTHORIZED);
    assertThat(err.toString()).contains("403", "FERRY-RELAY-0206", "admin").doesNotContain(engineKey);
  }

  /** Issue 17: a key for one flow, restricted to some function modules and OData services. */
  @Test
  void aKeyRestrictedToFunctionsAndServicesIsMadeAndListed() throws Exception {
    assertThat(run("admin", "keys", "create", "--config", config.toString(), "--scope", "functions:call,odata:read",
        "--functions", "RFC_READ_TABLE,bapi_companycode_getlist", "--odata-services", "API_BUSINESS_PARTNER"))
        .isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("functions:      BAPI_COMPANYCODE_GETLIST RFC_READ_TABLE",
        "OData services: API_BUSINESS_PARTNER");
    String id = find("id: +(\\S+)");

    assertThat(run("admin", "keys", "list", "--config", config.toString(), "--output", "json")).isEqualTo(ExitCode.OK);
    JsonNode restricted = null;
    for (JsonNode k : Protocol.json().readTree(out.toString()).path("keys")) {
      if (k.path("id").asText().equals(id)) {
        restricted = k;
      }
    }
    assertThat(restricted).isNotNull();
    assertThat(restricted.path("functions").toString()).isEqualTo("[\"BAPI_COMPANYCODE_GETLIST\",\"RFC_READ_TABLE\"]");
    assertThat(restricted.path("odataServices").toString()).isEqualTo("[\"API_BUSINESS_PARTNER\"]");
    assertThat(run("admin", "keys", "list", "--config", config.toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("FUNCTIONS", "ODATASERVICES", "API_BUSINESS_PARTNER");

    assertThat(run("admin", "keys", "create", "--config", config.toString(), "--functions", "NOT A NAME"))
        .isNotEqualTo(ExitCode.OK);
    assertThat(err.toString()).contains("422", "functions");
  }

  @Test
  void withoutAKeyOrOverPlainHttpToAnotherHostNothingIsSent() throws Exception {
    Path noKey = Files.writeString(dir.resolve("nokey.properties"), "admin.relay=" + relay.baseUrl() + "\n");
    assertThat(run("admin", "keys", "list", "--config", noKey.toString())).isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("FERRY_ADMIN_KEY");
    assertThat(run("admin", "keys", "list", "--config", config.toString(), "--relay", "http://relay.example.com"))
        .isEqualTo(ExitCode.CONFIG);
    assertThat(err.toString()).contains("plain http");
  }

  /**
   * Issue 15: an agent enrolled without --name had none (the help says: the host name); the table mixed
   * times with milliseconds and with nanoseconds; the audit log printed scopes as [CUSTOMERS_READ, …].
   */
  @Test
  void adminOutputNamesAgentsByHostTimesToTheSecondAndScopesByTheirWireNames() throws Exception {
    assertThat(run("admin", "agents", "enroll", "--config", config.toString())).isEqualTo(ExitCode.OK);
    String token = find("enrollment token: +(fe_\\S+)");
    assertThat(run("agent", "enroll", "--relay", relay.baseUrl().toString(), "--token", token,
        "--data-dir", dir.resolve("agent").toString())).isEqualTo(ExitCode.OK);

    assertThat(run("admin", "agents", "list", "--config", config.toString(), "--output", "json")).isEqualTo(ExitCode.OK);
    JsonNode agent = Protocol.json().readTree(out.toString()).path("agents").get(0);
    String host = java.net.InetAddress.getLocalHost().getHostName();
    assertThat(agent.path("name").asText()).isEqualTo(host);

    assertThat(run("admin", "agents", "list", "--config", config.toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("  " + host + "  ")
        .containsPattern("  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  ")
        .doesNotContainPattern("T\\d\\d:\\d\\d:\\d\\d\\.\\d");
    assertThat(run("admin", "keys", "list", "--config", config.toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).doesNotContainPattern("T\\d\\d:\\d\\d:\\d\\d\\.\\d");

    assertThat(run("admin", "audit", "--config", config.toString(), "--action", "admin.key.create")).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("scopes customers:read customers:write", "scopes admin")
        .doesNotContain("CUSTOMERS_READ", "[");
  }

  @Test
  void subscriptionsAreListedWithTheirDeliveryStateAsATableAndAsJson() throws Exception {
    java.net.http.HttpResponse<String> made = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(relay.baseUrl().resolve("/v1/subscriptions"))
            .header("X-API-Key", engineKey).header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"events\":[\"customer.changed\"],\"url\":\"https://flows.example.com/hook\"}"))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    String id = Protocol.json().readTree(made.body()).path("id").asText();

    assertThat(run("admin", "subscriptions", "list", "--config", config.toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).startsWith("ID ").contains(id, "active", "customer.changed",
        "https://flows.example.com/hook");

    assertThat(run("admin", "subscriptions", "list", "--config", config.toString(), "--output", "json"))
        .isEqualTo(ExitCode.OK);
    JsonNode subscriptions = Protocol.json().readTree(out.toString()).path("subscriptions");
    assertThat(subscriptions).hasSize(1);
    assertThat(subscriptions.get(0).path("id").asText()).isEqualTo(id);
    assertThat(subscriptions.get(0).path("delivered").asLong()).isZero();

    Path engineConfig = Files.writeString(dir.resolve("engine.properties"),
        "admin.relay=" + relay.baseUrl() + "\nadmin.key=" + engineKey + "\n");
    assertThat(run("admin", "subscriptions", "list", "--config", engineConfig.toString()))
        .isEqualTo(ExitCode.NOT_AUTHORIZED);
  }

  @Test
  void theAuditLogShowsTheOperatorsAndTheAdminKeysActions() throws Exception {
    assertThat(run("admin", "keys", "create", "--config", config.toString(), "--scope", "customers:read"))
        .isEqualTo(ExitCode.OK);
    String made = find("API key: +(fk_\\S+)");
    assertThat(run("admin", "keys", "revoke", made, "--config", config.toString())).isEqualTo(ExitCode.OK);

    assertThat(run("admin", "audit", "--config", config.toString(), "--since", "1h")).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).startsWith("AT ").contains("operator", "admin.key.create", "admin.key.revoke",
        made.substring(3, 29)).doesNotContain(made);

    assertThat(run("admin", "audit", "--config", config.toString(), "--action", "admin.key.revoke", "--output",
        "json")).isEqualTo(ExitCode.OK);
    JsonNode events = Protocol.json().readTree(out.toString()).path("events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).path("subject").asText()).isEqualTo(made.substring(3, 29));
    assertThat(events.get(0).path("outcome").asText()).isEqualTo("SUCCEEDED");

    assertThat(run("admin", "audit", "--config", config.toString(), "--since", "yesterday")).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).contains("--since must be");
  }

  @Test
  void tenantsAreCreatedOnTheRelaysHostAndAnAdminKeySeesOnlyItsOwn() {
    String dataDir = dir.resolve("relay").toString();
    assertThat(run("relay", "tenants", "create", "globex", "--data-dir", dataDir)).isEqualTo(ExitCode.OK);
    String globex = find("tenant globex: (\\S+)");
    assertThat(run("relay", "tenants", "create", "globex", "--data-dir", dataDir)).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).as("creating is idempotent on the name").contains(globex);
    assertThat(run("relay", "tenants", "list", "--data-dir", dataDir)).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).startsWith("ID ").contains("acme", "globex", globex);
    assertThat(run("relay", "tenants", "create", " ", "--data-dir", dataDir)).isEqualTo(ExitCode.USAGE);

    assertThat(run("admin", "tenants", "list", "--config", config.toString())).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("acme").doesNotContain("globex");
  }
}
