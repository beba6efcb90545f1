package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Protocol;
import io.ferry.relay.openapi.OpenApiDocument;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The function and OData fragments of the OpenAPI document, as the relay serves it: valid 3.1, every generic route
 * described with its operationId and the scope it needs, and the examples and problems a client generator or an n8n
 * author reads. (Whether each described route is registered is {@link OpenApiDocumentTest}'s question.)
 */
class GenericCallsOpenApiTest {

  /** "METHOD path" → operationId and the one scope it needs. */
  private static final Map<String, List<String>> OPERATIONS = Map.ofEntries(
      Map.entry("get /v1/functions", List.of("ListFunctions", "functions:call")),
      Map.entry("get /v1/functions/{name}", List.of("GetFunction", "functions:call")),
      Map.entry("post /v1/functions/{name}", List.of("CallFunction", "functions:call")),
      Map.entry("get /v1/odata", List.of("ListODataResources", "odata:read")),
      Map.entry("get /v1/odata/{service}/$metadata", List.of("GetODataMetadata", "odata:read")),
      Map.entry("get /v1/odata/{service}/{entitySet}/schema", List.of("GetODataEntitySchema", "odata:read")),
      Map.entry("get /v1/odata/{service}/{entitySet}", List.of("ListODataEntities", "odata:read")),
      Map.entry("post /v1/odata/{service}/{entitySet}", List.of("CreateODataEntity", "odata:write")),
      Map.entry("get /v1/odata/{service}/{entitySet}({key})", List.of("GetODataEntity", "odata:read")),
      Map.entry("put /v1/odata/{service}/{entitySet}({key})", List.of("ReplaceODataEntity", "odata:write")),
      Map.entry("patch /v1/odata/{service}/{entitySet}({key})", List.of("UpdateODataEntity", "odata:write")),
      Map.entry("delete /v1/odata/{service}/{entitySet}({key})", List.of("DeleteODataEntity", "odata:write")));

  static byte[] served;
  static JsonNode doc;
  static SwaggerParseResult parsed;

  @BeforeAll
  static void read() throws Exception {
    served = OpenApiDocument.forServer("https://relay.example.com");
    doc = Protocol.json().readTree(served);
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    parsed = new OpenAPIV3Parser().readContents(new String(served, StandardCharsets.UTF_8), null, options);
  }

  @Test
  void isValidOpenApi31WithTheGenericPaths() {
    assertThat(parsed.getMessages()).isEmpty();
    OpenAPI api = parsed.getOpenAPI();
    assertThat(api.getSpecVersion()).isEqualTo(SpecVersion.V31);
    assertThat(api.getPaths()).containsKeys("/v1/functions", "/v1/functions/{name}", "/v1/odata",
        "/v1/odata/{service}/$metadata", "/v1/odata/{service}/{entitySet}/schema", "/v1/odata/{service}/{entitySet}",
        "/v1/odata/{service}/{entitySet}({key})");
    assertThat(doc.path("tags").findValuesAsText("name")).contains("Functions", "OData");
  }

  @Test
  void everyGenericOperationHasItsOperationIdAndNeedsItsScopeWithEitherCredential() {
    OPERATIONS.forEach((route, expected) -> {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1);
      JsonNode op = doc.path("paths").path(path).path(method);
      assertThat(op.path("operationId").asText()).as(route).isEqualTo(expected.get(0));
      List<SecurityRequirement> security = parsed.getOpenAPI().getPaths().get(path).readOperationsMap()
          .get(io.swagger.v3.oas.models.PathItem.HttpMethod.valueOf(method.toUpperCase(java.util.Locale.ROOT)))
          .getSecurity();
      assertThat(security).as(route).hasSize(2);
      assertThat(security.get(0)).as(route).containsEntry("apiKey", List.of(expected.get(1)));
      assertThat(security.get(1)).as(route).containsEntry("bearer", List.of(expected.get(1)));
    });
    // Nothing else in the document is a generic route without its scope.
    doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
      if ((p.getKey().startsWith("/v1/functions") || p.getKey().startsWith("/v1/odata"))
          && !op.getKey().equals("parameters")) {
        assertThat(OPERATIONS).as(op.getKey() + " " + p.getKey()).containsKey(op.getKey() + " " + p.getKey());
      }
    }));
  }

  @Test
  void theSecuritySchemesNameTheNewScopes() {
    for (String scheme : List.of("apiKey", "bearer")) {
      assertThat(doc.at("/components/securitySchemes/" + scheme + "/description").asText()).as(scheme)
          .contains("functions:call", "odata:read", "odata:write", "customers:read", "salesorders:write");
    }
  }

  @Test
  void callFunctionDeclaresItsProblemsAsyncAnswerCallbackAndExamples() {
    JsonNode call = doc.at("/paths/~1v1~1functions~1{name}/post");
    assertThat(call.get("responses").fieldNames()).toIterable()
        .contains("200", "202", "403", "404", "422", "502", "503");
    assertThat(call.at("/responses/422/$ref").asText()).endsWith("FunctionRefused");
    assertThat(doc.at("/components/responses/FunctionOutcomeUnknown/description").asText()).contains("outcome-unknown");
    assertThat(doc.at("/components/schemas/Problem/properties").has("abapException")).isTrue();
    assertThat(doc.at("/components/schemas/Problem/properties").has("sapMessages")).isTrue();
    assertThat(call.at("/callbacks/outcome").fieldNames().next()).isEqualTo("{$request.query.callbackUrl}");
    assertThat(doc.at("/components/schemas/CallbackEvent/properties/action/enum").toString()).contains("function.call");
    assertThat(call.get("parameters").toString()).contains("IdempotencyKey", "CallbackUrl");
    JsonNode readTable = call.at("/requestBody/content/application~1json/examples/readTable/value");
    assertThat(readTable.at("/importing/QUERY_TABLE").asText()).isEqualTo("KNA1");
    assertThat(readTable.at("/tables/OPTIONS/0/TEXT").asText()).contains("LAND1");
    assertThat(doc.at("/paths/~1v1~1functions/get/responses/200/content/application~1json/examples").toString())
        .contains("BAPI_COMPANYCODE_GETLIST");
    assertThat(call.at("/responses/200/content/application~1json/examples/companyCodes/value/tables/COMPANYCODE_LIST")
        .isArray()).isTrue();
  }

  @Test
  void theODataRoutesCarryQueryOptionsETagsAndADeepInsertExample() {
    JsonNode list = doc.at("/paths/~1v1~1odata~1{service}~1{entitySet}/get");
    List<String> names = list.get("parameters").findValuesAsText("$ref").stream()
        .map(r -> doc.at(r.substring(1)).path("name").asText()).toList();
    assertThat(names).contains("$filter", "$select", "$expand", "$top", "$skip", "$orderby", "$inlinecount", "$skiptoken");
    assertThat(doc.at("/components/schemas/ODataCollection/properties").fieldNames()).toIterable()
        .containsExactlyInAnyOrder("results", "__count", "nextLink");
    JsonNode create = doc.at("/paths/~1v1~1odata~1{service}~1{entitySet}/post");
    assertThat(create.at("/requestBody/content/application~1json/examples/deepInsert/value/to_BusinessPartnerAddress/results")
        .isArray()).isTrue();
    assertThat(create.at("/responses/201/headers").has("Location")).isTrue();
    JsonNode keyed = doc.at("/paths/~1v1~1odata~1{service}~1{entitySet}({key})");
    assertThat(keyed.at("/get/responses/200/headers").has("ETag")).isTrue();
    for (String write : List.of("put", "patch", "delete")) {
      assertThat(keyed.get(write).get("parameters").toString()).as(write).contains("ODataIfMatch", "IdempotencyKey");
      assertThat(keyed.get(write).get("responses").fieldNames()).toIterable().as(write).contains("204", "412");
    }
    assertThat(doc.at("/paths/~1v1~1odata~1{service}~1$metadata/get/responses/200/content").has("application/xml"))
        .isTrue();
  }

  @Test
  void theTemplateIsACopy() {
    ObjectNode a = OpenApiDocument.template();
    a.with("paths").remove("/v1/functions");
    assertThat(OpenApiDocument.template().at("/paths").has("/v1/functions")).isTrue();
  }
}
