package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.protocol.Protocol;
import io.ferry.relay.auth.Scope;
import io.ferry.relay.http.Access;
import io.ferry.relay.http.HttpServer.Route;
import io.ferry.relay.store.Ulid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route declares who may call it (Routes' table, read back from the running relay), and every
 * route refuses a request without that credential and an API key without its scope — HEAD included,
 * which the router would otherwise answer 200 for any GET route without running its handler.
 */
class RouteAccessTest {

  private static final String METRICS_TOKEN = "route-access-test-metrics-token-0123456789";
  /** Outside this machine as the relay sees it: the metrics are then served with their token only. */
  private static final String[] FROM_ELSEWHERE = {"X-Forwarded-For", "203.0.113.9"};

  @TempDir
  static Path dataDir;
  static TestRelay relay;
  static final Map<Scope, String> KEY_WITH = new EnumMap<>(Scope.class);
  static FakeAgent agent;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c.withRateLimit(0).withMetricsToken(METRICS_TOKEN));
    // No agent of this tenant is online, so an admitted engine request is answered at once (503), never queued.
    TestRelay.Tenant tenant = relay.tenant();
    for (Scope scope : Scope.values()) {
      KEY_WITH.put(scope, relay.relay.admin().createApiKey(tenant.id(), Set.of(scope), null).key());
    }
    agent = relay.tenant().enrollAgent();
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void everyRouteDeclaresItsAccessAndEveryGetRouteHasAHeadTwinWithTheSameAccess() {
    List<Route> table = relay.relay.routeTable();
    assertThat(table).isNotEmpty().allSatisfy(r -> assertThat(r.access()).as(r.method() + " " + r.path()).isNotNull());
    // The agent's stream is a GET with a WebSocket upgrade: no HEAD to it.
    for (Route get : table.stream().filter(r -> r.method().equals("GET"))
        .filter(r -> !r.path().equals(Protocol.STREAM_PATH)).toList()) {
      assertThat(table).as("HEAD " + get.path()).contains(new Route("HEAD", get.path(), get.access()));
    }
    assertThat(table).as("batches need customers:write to post and customers:read for results")
        .contains(new Route("POST", "/v1/customer-batches", new Access(Access.Kind.API_KEY, Set.of(Scope.CUSTOMERS_WRITE))))
        .contains(new Route("GET", "/v1/customer-batches/{id}/results",
            new Access(Access.Kind.API_KEY, Set.of(Scope.CUSTOMERS_READ))));
  }

  @Test
  void everyRouteRefusesARequestWithoutItsCredential() {
    for (Route route : relay.relay.routeTable()) {
      String what = route.method() + " " + route.path() + " (" + route.access() + ") without a credential";
      switch (route.access().kind()) {
        case NONE -> assertThat(send(route, null).status()).as(what).isLessThan(400);
        case API_KEY -> expectRefused(what, send(route, null), 401, "FERRY-RELAY-0201");
        case AGENT, AGENT_SIGNATURE -> expectRefused(what, send(route, null), 401, "FERRY-RELAY-0203");
        case ENROLLMENT_TOKEN -> expectRefused(what, FakeAgent.enrollRaw(relay.base(), "not-a-token"), 401,
            "FERRY-RELAY-0204");
        case METRICS -> expectRefused(what, send(route, null, FROM_ELSEWHERE), 401, "FERRY-RELAY-0208");
      }
    }
  }

  @Test
  void everyApiKeyRouteRefusesAKeyWithoutItsScopeAndAdmitsAKeyWithIt() {
    int checked = 0;
    for (Route route : relay.relay.routeTable()) {
      if (route.access().kind() != Access.Kind.API_KEY) {
        continue;
      }
      for (Scope scope : Scope.values()) {
        String what = route.method() + " " + route.path() + " (" + route.access() + ") with a " + scope.wireName()
            + " key";
        Reply reply = send(route, null, "X-API-Key", KEY_WITH.get(scope));
        if (route.access().anyOf().isEmpty() || route.access().anyOf().contains(scope)) {
          assertThat(reply.status()).as(what + ": " + reply).isNotIn(401, 403);
        } else {
          expectRefused(what, reply, 403, "FERRY-RELAY-0206");
          // The same key as a bearer token is the same key.
          expectRefused(what + " as Bearer", send(route, null, "Authorization", "Bearer " + KEY_WITH.get(scope)), 403,
              "FERRY-RELAY-0206");
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(30);
  }

  @Test
  void routesOfAgentsAndOfTheOperatorRefuseEveryApiKey() {
    for (Route route : relay.relay.routeTable()) {
      Access.Kind kind = route.access().kind();
      for (Scope scope : Scope.values()) {
        String key = KEY_WITH.get(scope);
        String what = route.method() + " " + route.path() + " (" + route.access() + ") with a " + scope.wireName()
            + " API key";
        switch (kind) {
          case AGENT, AGENT_SIGNATURE -> {
            expectRefused(what, send(route, null, "X-API-Key", key), 401, "FERRY-RELAY-0203");
            expectRefused(what + " as Bearer", send(route, null, "Authorization", "Bearer " + key), 401,
                "FERRY-RELAY-0203");
          }
          case ENROLLMENT_TOKEN -> expectRefused(what, FakeAgent.enrollRaw(relay.base(), key), 401, "FERRY-RELAY-0204");
          case METRICS -> expectRefused(what, send(route, null, FROM_ELSEWHERE[0], FROM_ELSEWHERE[1],
              "Authorization", "Bearer " + key), 401, "FERRY-RELAY-0208");
          default -> { }
        }
      }
    }
  }

  @Test
  void theAgentKeyOfABearerAgentOpensNoSession() {
    Route session = new Route("POST", Protocol.SESSION_PATH, null);
    expectRefused("a bearer agent key on " + Protocol.SESSION_PATH,
        send(session, null, "Authorization", "Bearer " + agent.identity.agentKey()), 401, "FERRY-RELAY-0203");
  }

  /** The attack: HEAD of an admin route without a key answered 200 (the router's default for GET routes). */
  @Test
  void headOfAnAdminRouteWithoutAKeyIsRefusedAndWithAKeyAnsweredWithoutABody() {
    Reply anonymous = send(new Route("HEAD", "/admin/v1/keys", null), null);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");

    Reply engineKey = send(new Route("HEAD", "/admin/v1/keys", null), null, "X-API-Key", KEY_WITH.get(Scope.CUSTOMERS_WRITE));
    assertThat(engineKey.status()).isEqualTo(403);

    Reply admin = send(new Route("HEAD", "/admin/v1/keys", null), null, "X-API-Key", KEY_WITH.get(Scope.ADMIN));
    assertThat(admin.status()).isEqualTo(200);
    assertThat(admin.body()).isEmpty();
    assertThat(send(new Route("HEAD", "/healthz", null), null).status()).isEqualTo(200);
    // Methods no route registers are refused, not answered by a default.
    for (String method : List.of("OPTIONS", "TRACE")) {
      assertThat(send(new Route(method, "/admin/v1/keys", null), null).status()).as(method).isGreaterThanOrEqualTo(400);
    }
  }

  /** The attack: a read-only key and an admin key changed customers through a batch; any key read any results. */
  @Test
  void batchesTakeTheScopesOfTheCustomersTheyTouch() {
    String csv = "customerNumber,name\n0000100001,Changed by a reader\n";
    for (Scope scope : List.of(Scope.CUSTOMERS_READ, Scope.ADMIN)) {
      for (String mode : List.of("update", "insert", "upsert")) {
        Reply reply = new Engine(relay.base(), KEY_WITH.get(scope))
            .postBody("/v1/customer-batches?mode=" + mode, csv, "text/csv");
        assertThat(reply.status()).as(scope.wireName() + " key, mode " + mode).isEqualTo(403);
        assertThat(reply.problem().detail()).contains("customers:write");
      }
    }
    String someBatch = "/v1/customer-batches/" + Ulid.next();
    for (Scope scope : List.of(Scope.CUSTOMERS_WRITE, Scope.ADMIN)) {
      Reply results = new Engine(relay.base(), KEY_WITH.get(scope)).get(someBatch + "/results");
      assertThat(results.status()).as(scope.wireName() + " key reading results").isEqualTo(403);
      assertThat(results.problem().detail()).contains("customers:read");
    }
    assertThat(new Engine(relay.base(), KEY_WITH.get(Scope.ADMIN)).get(someBatch).status()).isEqualTo(403);
    assertThat(new Engine(relay.base(), KEY_WITH.get(Scope.CUSTOMERS_READ)).get(someBatch + "/results").status())
        .isEqualTo(404);
  }

  /** The table docs/security.md shows is the running relay's: neither can change without the other. */
  @Test
  void theRouteTableInTheSecurityDocumentIsTheRelays() throws IOException {
    Map<String, String> documented = new TreeMap<>();
    Pattern row = Pattern.compile("^\\| `([A-Z]+) ([^`]+)` \\| ([^|]+?) \\|");
    for (String line : Files.readAllLines(Path.of("..", "docs", "security.md"))) {
      Matcher m = row.matcher(line);
      if (m.find()) {
        documented.put(m.group(1) + " " + m.group(2), m.group(3).strip());
      }
    }
    Map<String, String> running = new TreeMap<>();
    for (Route r : relay.relay.routeTable()) {
      if (!r.method().equals("HEAD")) { // documented once: "HEAD: as GET"
        running.put(r.method() + " " + r.path(), r.access().toString());
      }
    }
    assertThat(documented).isEqualTo(running);
  }

  // ---------------------------------------------------------------- helpers

  private static void expectRefused(String what, Reply reply, int status, String code) {
    assertThat(reply.status()).as(what + ": " + reply).isEqualTo(status);
    if (!reply.body().isEmpty()) { // HEAD answers carry the status and headers only
      assertThat(reply.problem().code()).as(what).isEqualTo(code);
    }
  }

  /** The route with its path parameters filled in, a small JSON body where it takes one, and the headers. */
  private static Reply send(Route route, String body, String... headers) {
    String path = route.path()
        .replace("{customerNumber}", "0000100001")
        .replace("{externalId}", "CRM-1")
        .replace("{file}", "app.js")
        .replace("{id}", Ulid.next())
        .replace("{name}", "RFC_READ_TABLE")
        .replace("{service}", "API_BUSINESS_PARTNER")
        .replace("{entitySet}", "A_BusinessPartner")
        .replace("<path>", "A_BusinessPartner");
    RequestBody content = RequestBody.create(body == null ? "{}" : body, MediaType.get(
        route.method().equals("PATCH") ? "application/merge-patch+json" : "application/json"));
    Request.Builder b = new Request.Builder().url(relay.base() + path);
    switch (route.method()) {
      case "GET" -> b.get();
      case "HEAD" -> b.head();
      case "DELETE" -> b.delete();
      case "OPTIONS", "TRACE" -> b.method(route.method(), null);
      default -> b.method(route.method(), content);
    }
    List<String> named = new ArrayList<>(List.of(headers));
    if (route.path().equals(Protocol.STREAM_PATH)) { // only an upgrade reaches a WebSocket route's check
      named.addAll(List.of("Connection", "Upgrade", "Upgrade", "websocket", "Sec-WebSocket-Version", "13",
          "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="));
    }
    for (int i = 0; i < named.size(); i += 2) {
      b.addHeader(named.get(i), named.get(i + 1));
    }
    try {
      return Http.send(b.build());
    } catch (UncheckedIOException e) {
      throw new AssertionError(route + " failed", e);
    }
  }
}
