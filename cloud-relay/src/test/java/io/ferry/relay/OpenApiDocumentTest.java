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
          described.add(method.toUpperCase(Locale.ROOT) + " " + registeredAs(path));
        }
      }
    }
    assertThat(registered).as("engine routes registered in Routes.routing").isNotEmpty();
    assertThat(described).as("operations in openapi.json").containsExactlyInAnyOrderElementsOf(registered);
  }

  /**
   * The route a described path is served by. OpenAPI cannot describe a path parameter holding slashes, so the
   * document names the OData resource shapes engines use ({@code {entitySet}}, {@code {entitySet}({key})}) and the
   * relay serves them — and navigation paths below them — by one catch-all route per method.
   */
  private static String registeredAs(String described) {
    String odata = "/v1/odata/{service}/";
    if (described.startsWith(odata) && !described.equals(odata + "$metadata")
        && !described.equals(odata + "{entitySet}/schema")) {
      return odata + "<path>";
    }
    return described;
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

  /**
   * Generated clients name a method after each operationId, callbacks included (a webhook receiver's handler):
   * every operation has one, and no two share it.
   */
  @Test
  void everyOperationCallbacksIncludedHasItsOwnOperationId() {
    java.util.List<String> ids = new java.util.ArrayList<>();
    JsonNode paths = served.json().get("paths");
    paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      if (!HTTP_METHODS.contains(op.getKey())) {
        return;
      }
      assertThat(op.getValue().path("operationId").asText()).as(op.getKey() + " " + path.getKey()).isNotBlank();
      ids.add(op.getValue().get("operationId").asText());
      op.getValue().path("callbacks").forEach(callback -> callback.forEach(item -> item.fields().forEachRemaining(cb -> {
        assertThat(cb.getValue().path("operationId").asText()).as("callback of " + op.getKey() + " " + path.getKey())
            .isNotBlank();
        ids.add(cb.getValue().get("operationId").asText());
      })));
    }));
    assertThat(ids).contains("CreateCustomerOutcome", "UpdateCustomerOutcome", "UpsertCustomerByExternalIdOutcome")
        .doesNotHaveDuplicates();
  }

  @Test
  void infoNamesALicense() {
    JsonNode license = served.json().at("/info/license");
    assertThat(license.path("name").asText()).isNotBlank();
    assertThat(license.path("url").asText()).startsWith("https://");
  }

  /**
   * {@code ApiDescription} describes the document the relay serves, member by member, so a generated client's
   * model of it is usable: every member of the document and of its {@code info} is a declared property, every
   * required one is there, and the declared types match.
   */
  @Test
  void theApiDescriptionSchemaDescribesTheServedDocument() {
    JsonNode doc = served.json();
    JsonNode schemas = doc.at("/components/schemas");
    checkAgainst(doc, schemas.get("ApiDescription"), schemas, "document");
    checkAgainst(doc.get("info"), schemas.get("ApiInfo"), schemas, "info");
    checkAgainst(doc.at("/info/license"), schemas.at("/ApiInfo/properties/license"), schemas, "info.license");
    doc.get("servers").forEach(s -> checkAgainst(s, schemas.get("ApiServer"), schemas, "servers[]"));
    doc.get("tags").forEach(t -> checkAgainst(t, schemas.get("ApiTag"), schemas, "tags[]"));
  }

  private static void checkAgainst(JsonNode value, JsonNode schema, JsonNode schemas, String where) {
    JsonNode properties = schema.get("properties");
    value.fieldNames().forEachRemaining(name -> {
      if (!name.startsWith("x-")) {
        assertThat(properties.has(name)).as(where + "." + name + " is declared").isTrue();
        JsonNode declared = properties.get(name);
        if (declared.has("$ref")) {
          declared = schemas.get(declared.get("$ref").asText().replace("#/components/schemas/", ""));
        }
        String type = declared.path("type").asText();
        JsonNode v = value.get(name);
        boolean matches = switch (type) {
          case "object" -> v.isObject();
          case "array" -> v.isArray();
          case "string" -> v.isTextual();
          default -> true;
        };
        assertThat(matches).as(where + "." + name + " is a " + type).isTrue();
      }
    });
    schema.path("required").forEach(r -> assertThat(value.has(r.asText())).as(where + "." + r.asText()).isTrue());
    assertThat(schema.path("description").asText()).as(where + " is described").isNotBlank();
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
