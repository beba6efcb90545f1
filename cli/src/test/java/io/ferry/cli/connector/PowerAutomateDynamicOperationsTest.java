package io.ferry.cli.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.cli.command.ExitCode;
import io.ferry.cli.command.FerryCommand;
import io.ferry.protocol.Protocol;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a flow author depends on in the dynamic actions (Call an SAP function, the OData actions): every drop-down and
 * every looked-up schema of the exported connector names an operation the connector has, hands it parameters that
 * operation takes, filled from parameters the asking operation has, and reads paths its answer holds; the lookups
 * are internal, so they never show as actions. The rule checks of {@link PowerAutomatePackageTest} cover these
 * operations like every other.
 */
class PowerAutomateDynamicOperationsTest {

  private static final List<String> LOOKUPS = List.of("x-ms-dynamic-values", "x-ms-dynamic-list", "x-ms-dynamic-schema",
      "x-ms-dynamic-properties");

  @TempDir
  static java.nio.file.Path out;
  static JsonNode swagger;
  /** operationId → the operation as exported. */
  static final Map<String, JsonNode> OPERATIONS = new HashMap<>();

  @BeforeAll
  static void export() throws Exception {
    StringWriter printed = new StringWriter();
    int code = FerryCommand.commandLine(new PrintWriter(printed, true), new PrintWriter(printed, true))
        .execute("connector", "export", "--host", "relay.example.com", "--out", out.toString());
    assertThat(code).as(printed.toString()).isEqualTo(ExitCode.OK);
    swagger = Protocol.json().readTree(Files.readString(out.resolve(ConnectorPackage.API_DEFINITION)));
    swagger.get("paths").forEach(item -> item.forEach(op -> OPERATIONS.put(op.get("operationId").asText(), op)));
  }

  /** One lookup as found: where, which extension, its value, and the operation whose form or answer holds it. */
  record Lookup(String where, String kind, JsonNode value, JsonNode asker) {}

  @Test
  void everyLookupNamesAnExistingOperationWithItsParametersFilledFromTheAskersOwn() {
    List<Lookup> lookups = lookups();
    assertThat(lookups).extracting(Lookup::kind).contains("x-ms-dynamic-values", "x-ms-dynamic-list",
        "x-ms-dynamic-schema", "x-ms-dynamic-properties");
    for (Lookup l : lookups) {
      String target = l.value().path("operationId").asText();
      assertThat(OPERATIONS).as(l.where() + " " + l.kind() + " operationId").containsKey(target);
      JsonNode targetOp = OPERATIONS.get(target);
      assertThat(l.value().get("parameters")).as(l.where() + " " + l.kind() + " parameters (required)").isNotNull();
      Set<String> targetParams = parameterNames(targetOp);
      Set<String> askerParams = parameterNames(l.asker());
      l.value().get("parameters").fields().forEachRemaining(e -> {
        assertThat(targetParams).as(l.where() + " hands " + target + " a parameter it takes").contains(e.getKey());
        JsonNode from = e.getValue();
        String sibling = from.has("parameter") ? from.get("parameter").asText()
            : from.path("parameterReference").asText(null);
        if (sibling != null) {
          assertThat(askerParams).as(l.where() + " fills " + e.getKey() + " from its own parameter").contains(sibling);
        } else {
          assertThat(from.has("value")).as(l.where() + " " + e.getKey() + " is a parameter or a value").isTrue();
        }
      });
      // Every path parameter of the lookup must be handed over, or the designer cannot call it.
      targetOp.path("parameters").forEach(p -> {
        if (p.path("required").asBoolean()) {
          assertThat(l.value().get("parameters").has(p.get("name").asText()))
              .as(l.where() + " gives " + target + " its required " + p.get("name").asText()).isTrue();
        }
      });
    }
  }

  @Test
  void theLookupOperationsAreInternalGetsAndAnswerWhatTheLookupsRead() {
    for (Lookup l : lookups()) {
      String target = l.value().get("operationId").asText();
      assertThat(OPERATIONS.get(target).get("x-ms-visibility").asText()).as(target + " is hidden from the actions")
          .isEqualTo("internal");
      assertThat(methodOf(target)).as(target).isEqualTo("get");
      JsonNode answer = deref(OPERATIONS.get(target).at("/responses/200/schema"));
      switch (l.kind()) {
        case "x-ms-dynamic-values" -> {
          JsonNode items = deref(property(answer, l.value().get("value-collection").asText()).get("items"));
          assertThat(items.path("properties").has(l.value().get("value-path").asText())).as(l.where()).isTrue();
          assertThat(items.path("properties").has(l.value().get("value-title").asText())).as(l.where()).isTrue();
        }
        case "x-ms-dynamic-list" -> {
          JsonNode items = deref(property(answer, l.value().get("itemsPath").asText()).get("items"));
          assertThat(items.path("properties").has(l.value().get("itemValuePath").asText())).as(l.where()).isTrue();
          assertThat(items.path("properties").has(l.value().get("itemTitlePath").asText())).as(l.where()).isTrue();
        }
        case "x-ms-dynamic-schema", "x-ms-dynamic-properties" -> {
          String path = l.value().path(l.kind().equals("x-ms-dynamic-schema") ? "value-path" : "itemValuePath").asText("");
          JsonNode schema = path.isEmpty() ? answer : property(answer, path);
          assertThat(schema.path("type").asText()).as(l.where() + " reads a schema object at '" + path + "'")
              .isEqualTo("object");
        }
        default -> throw new AssertionError(l.kind());
      }
    }
  }

  @Test
  void callAnSapFunctionPicksTheFunctionFromAListAndReadsItsFieldsAndOutputs() {
    JsonNode call = OPERATIONS.get("CallFunction");
    assertThat(call.get("summary").asText()).isEqualTo("Call an SAP function");
    assertThat(call.get("x-ms-visibility").asText()).isEqualTo("important");
    JsonNode name = parameter(call, "name");
    assertThat(name.get("x-ms-summary").asText()).isEqualTo("Function");
    assertThat(name.at("/x-ms-dynamic-values/operationId").asText()).isEqualTo("ListFunctions");
    assertThat(name.at("/x-ms-dynamic-values/value-collection").asText()).isEqualTo("functions");
    assertThat(name.at("/x-ms-dynamic-values/value-path").asText()).isEqualTo("name");
    JsonNode body = parameter(call, "body").get("schema");
    assertThat(body.at("/x-ms-dynamic-schema/operationId").asText()).isEqualTo("GetFunction");
    assertThat(body.at("/x-ms-dynamic-schema/value-path").asText()).isEqualTo("request");
    assertThat(body.at("/x-ms-dynamic-schema/parameters/name/parameter").asText()).isEqualTo("name");
    assertThat(body.has("properties")).as("no static fields beside the looked-up ones").isFalse();
    assertThat(body.has("$ref")).isFalse();
    JsonNode answer = call.at("/responses/200/schema");
    assertThat(answer.at("/x-ms-dynamic-schema/operationId").asText()).isEqualTo("GetFunction");
    assertThat(answer.at("/x-ms-dynamic-schema/value-path").asText()).isEqualTo("response");
    assertThat(call.get("responses").has("202")).isTrue();
    assertThat(call.get("responses").fieldNames()).toIterable().contains("404", "422", "502", "503");
  }

  @Test
  void theODataActionsPickServiceAndEntitySetFromTheAllowedResourcesAndReadTheirFields() {
    for (String id : List.of("ListODataEntities", "GetODataEntity", "CreateODataEntity", "UpdateODataEntity",
        "DeleteODataEntity")) {
      JsonNode op = OPERATIONS.get(id);
      assertThat(op).as(id).isNotNull();
      assertThat(parameter(op, "service").at("/x-ms-dynamic-values/operationId").asText()).as(id)
          .isEqualTo("ListODataResources");
      assertThat(parameter(op, "service").at("/x-ms-dynamic-values/value-path").asText()).isEqualTo("service");
      assertThat(parameter(op, "entitySet").at("/x-ms-dynamic-values/value-path").asText()).isEqualTo("entitySet");
      assertThat(parameter(op, "entitySet").at("/x-ms-dynamic-values/value-collection").asText()).isEqualTo("resources");
    }
    for (String id : List.of("CreateODataEntity", "UpdateODataEntity")) {
      JsonNode body = parameter(OPERATIONS.get(id), "body").get("schema");
      assertThat(body.at("/x-ms-dynamic-schema/operationId").asText()).as(id).isEqualTo("GetODataEntitySchema");
      assertThat(body.at("/x-ms-dynamic-schema/parameters/entitySet/parameter").asText()).isEqualTo("entitySet");
    }
    assertThat(OPERATIONS.get("CreateODataEntity").at("/responses/201/headers").has("Location")).isTrue();
    assertThat(OPERATIONS.get("GetODataEntity").at("/responses/200/headers").has("ETag")).isTrue();
    for (String id : List.of("UpdateODataEntity", "DeleteODataEntity")) {
      assertThat(parameterNames(OPERATIONS.get(id))).as(id).contains("If-Match", "Idempotency-Key", "key");
      assertThat(OPERATIONS.get(id).get("responses").has("204")).isTrue();
      assertThat(OPERATIONS.get(id).get("responses").has("412")).isTrue();
    }
    JsonNode list = OPERATIONS.get("ListODataEntities");
    assertThat(parameterNames(list)).contains("$filter", "$select", "$expand", "$top", "$skip", "$orderby",
        "$inlinecount", "$skiptoken");
    assertThat(swagger.at("/definitions/ODataCollection/properties/results/items/x-ms-dynamic-schema/operationId")
        .asText()).isEqualTo("GetODataEntitySchema");
  }

  @Test
  void whatAConnectorCannotUseStaysInTheOpenApiDocumentOnly() {
    assertThat(OPERATIONS).doesNotContainKeys("GetODataMetadata", "ReplaceODataEntity");
    assertThat(swagger.get("paths").has("/v1/odata/{service}/$metadata")).isFalse();
  }

  @Test
  void theApiKeyDefinitionNamesTheScopesTheNewActionsNeed() {
    assertThat(swagger.at("/securityDefinitions/api_key/description").asText())
        .contains("functions:call", "odata:read", "odata:write", "customers:read");
  }

  // ---------------------------------------------------------------- helpers

  /** Every lookup in paths (asked by its operation) and in definitions (asked by each operation reaching it). */
  private static List<Lookup> lookups() {
    List<Lookup> found = new ArrayList<>();
    Map<String, List<JsonNode>> reachedBy = new HashMap<>();
    OPERATIONS.values().forEach(op -> reach(op, op, reachedBy, new LinkedHashSet<>()));
    OPERATIONS.forEach((id, op) -> collect(op, id, op, found));
    swagger.get("definitions").fields().forEachRemaining(d -> {
      for (JsonNode asker : reachedBy.getOrDefault(d.getKey(), List.of())) {
        collect(d.getValue(), "definitions/" + d.getKey() + " via " + asker.get("operationId").asText(), asker, found);
      }
    });
    return found;
  }

  private static void collect(JsonNode node, String where, JsonNode asker, List<Lookup> found) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (LOOKUPS.contains(e.getKey())) {
          found.add(new Lookup(where, e.getKey(), e.getValue(), asker));
        } else {
          collect(e.getValue(), where, asker, found);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, where, asker, found));
    }
  }

  private static void reach(JsonNode node, JsonNode op, Map<String, List<JsonNode>> reachedBy, Set<String> seen) {
    if (node.isObject() && node.has("$ref")) {
      String name = node.get("$ref").asText().replace("#/definitions/", "");
      if (seen.add(name)) {
        reachedBy.computeIfAbsent(name, k -> new ArrayList<>()).add(op);
        reach(swagger.at("/definitions/" + name), op, reachedBy, seen);
      }
    } else {
      node.elements().forEachRemaining(n -> reach(n, op, reachedBy, seen));
    }
  }

  private static Set<String> parameterNames(JsonNode op) {
    Set<String> names = new LinkedHashSet<>();
    op.path("parameters").forEach(p -> names.add(p.get("name").asText()));
    return names;
  }

  private static JsonNode parameter(JsonNode op, String name) {
    for (JsonNode p : op.path("parameters")) {
      if (p.get("name").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError(op.get("operationId").asText() + " has no parameter " + name);
  }

  private static String methodOf(String operationId) {
    for (JsonNode item : swagger.get("paths")) {
      for (var it = item.fields(); it.hasNext(); ) {
        var e = it.next();
        if (e.getValue().get("operationId").asText().equals(operationId)) {
          return e.getKey();
        }
      }
    }
    throw new AssertionError(operationId);
  }

  /** A path string: a JSON pointer without its leading slash, walked through properties. */
  private static JsonNode property(JsonNode schema, String path) {
    JsonNode current = schema;
    for (String step : path.split("/")) {
      current = deref(current.path("properties").path(step));
      assertThat(current.isMissingNode()).as("the answer has " + path).isFalse();
    }
    return current;
  }

  private static JsonNode deref(JsonNode schema) {
    return schema.has("$ref") ? swagger.at("/definitions/" + schema.get("$ref").asText().replace("#/definitions/", ""))
        : schema;
  }
}
