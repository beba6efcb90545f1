package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.protocol.Protocol;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document and the relay cannot drift apart: every engine route the running relay registers
 * is described, every described operation is registered, and the document is valid OpenAPI 3.1.
 */
class OpenApiDocumentTest {

  private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  @TempDir
  static Path dataDir;
  static TestRelay relay;
  static Reply served;

  @BeforeAll
  static void start() {
    relay = TestRelay.start(dataDir, c -> c);
    served = new Engine(relay.base(), null).get("/openapi.json");
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  @Test
  void isServedWithoutAnApiKeyAndNamesThisRelayAsItsServer() {
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.header("Content-Type")).startsWith("application/json");
    assertThat(served.json().get("servers").get(0).get("url").asText()).isEqualTo(relay.base().toString());
  }

  @Test
  void everyRegisteredEngineRouteIsDescribedAndEveryDescribedOperationIsRegistered() {
    Set<String> registered = new TreeSet<>();
    for (String route : relay.relay.routes()) {
      String path = route.substring(route.indexOf(' ') + 1);
      // The agent and admin APIs, the console and the operator's probes and metrics are not the engine API.
      if (!path.startsWith("/agent/") && !path.startsWith("/admin/") && !path.startsWith("/console")
          && !java.util.List.of("/healthz", "/readyz", "/metrics").contains(path)) {
        registered.add(route);
      }
    }
    Set<String> described = new TreeSet<>();
    JsonNode paths = served.json().get("paths");
    for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
      String path = it.next();
      for (Iterator<String> ops = paths.get(path).fieldNames(); ops.hasNext(); ) {
        String method = ops.next();
        if (HTTP_METHODS.contains(method)) {
          described.add(method.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    assertThat(registered).as("engine routes registered in Routes.routing").isNotEmpty();
    assertThat(described).as("operations in openapi.json").containsExactlyInAnyOrderElementsOf(registered);
  }

  @Test
  void isValidOpenApi31() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(served.body(), null, options);
    assertThat(result.getMessages()).isEmpty();
    OpenAPI api = result.getOpenAPI();
    assertThat(api).isNotNull();
    assertThat(api.getSpecVersion()).isEqualTo(SpecVersion.V31);
    assertThat(api.getOpenapi()).isEqualTo("3.1.0");
    assertThat(api.getPaths()).containsKeys("/v1/customers", "/v1/customers/{customerNumber}", "/v1/operations/{id}");
    assertThat(api.getComponents().getSecuritySchemes()).containsKeys("apiKey", "bearer");
  }

  @Test
  void everyReferenceResolves() {
    JsonNode doc = served.json();
    Set<String> refs = new TreeSet<>();
    collectRefs(doc, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
  }

  @Test
  void containsNoNulls() {
    assertThat(served.body()).doesNotContain(": null");
  }

  @Test
  void theDocumentTheRelayServesParsesAsTheProtocolMapperReadsIt() throws Exception {
    assertThat(Protocol.json().readTree(served.body()).get("openapi").asText()).isEqualTo("3.1.0");
  }

  private static void collectRefs(JsonNode node, Set<String> refs) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("$ref")) {
          refs.add(e.getValue().asText());
        } else {
          collectRefs(e.getValue(), refs);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, refs));
    }
  }
}
