package io.ferry.cli.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.cli.command.ExitCode;
import io.ferry.cli.command.FerryCommand;
import io.ferry.protocol.Protocol;
import io.swagger.models.HttpMethod;
import io.swagger.models.Model;
import io.swagger.models.Operation;
import io.swagger.models.Path;
import io.swagger.models.Response;
import io.swagger.models.Swagger;
import io.swagger.models.parameters.Parameter;
import io.swagger.models.parameters.QueryParameter;
import io.swagger.models.properties.Property;
import io.swagger.parser.SwaggerParser;
import io.swagger.parser.util.SwaggerDeserializationResult;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported Power Automate package, loaded with a real OpenAPI 2.0 parser and checked against each
 * rule of the connector reference (shared/reference/connectors.md), one test per rule.
 */
class PowerAutomatePackageTest {

  @TempDir
  static java.nio.file.Path out;
  static int exitCode;
  static String printed;
  static String raw;
  static JsonNode json;
  static Swagger swagger;
  static SwaggerDeserializationResult parsed;

  @BeforeAll
  static void export() throws Exception {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    exitCode = FerryCommand.commandLine(new PrintWriter(o, true), new PrintWriter(e, true))
        .execute("connector", "export", "--host", "https://relay.example.com:8443", "--out", out.toString());
    printed = o + e.toString();
    raw = Files.readString(out.resolve(ConnectorPackage.API_DEFINITION));
    json = Protocol.json().readTree(raw);
    parsed = new SwaggerParser().readWithInfo(raw);
    swagger = parsed.getSwagger();
  }

  // ---------------------------------------------------------------- the command

  @Test
  void theCommandWritesTheThreeFilesAndExitsZero() {
    assertThat(exitCode).as(printed).isEqualTo(ExitCode.OK);
    assertThat(out.resolve("apiDefinition.swagger.json")).isRegularFile();
    assertThat(out.resolve("apiProperties.json")).isRegularFile();
    assertThat(out.resolve("icon.png")).isRegularFile();
  }

  @Test
  void aBadHostExitsWithThreeAndAMessage() {
    for (String bad : new String[] {"ftp://relay.example.com", "relay example com", "https://relay.example.com?x=1", "",
        "https://relay.example.com:99999"}) {
      StringWriter err = new StringWriter();
      int code = FerryCommand.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true))
          .execute("connector", "export", "--host", bad, "--out", out.resolve("bad").toString());
      assertThat(code).as(bad).isEqualTo(ExitCode.CONFIG);
      assertThat(err.toString()).contains("--host").doesNotContain("\tat ");
    }
  }

  @Test
  void hostBasePathAndSchemesComeFromHost() {
    assertThat(swagger.getHost()).isEqualTo("relay.example.com:8443");
    assertThat(swagger.getBasePath()).isEqualTo("/");
    assertThat(swagger.getSchemes()).extracting(Enum::name).containsExactly("HTTPS");
    ConnectorHost bare = ConnectorHost.parse("relay.example.com");
    assertThat(bare).isEqualTo(new ConnectorHost("https", "relay.example.com", "/"));
    assertThat(ConnectorHost.parse("https://gw.example.com/ferry/").basePath()).isEqualTo("/ferry");
  }

  // ---------------------------------------------------------------- the definition

  @Test
  void isOpenApi20ThatTheParserReadsWithoutMessages() {
    assertThat(parsed.getMessages()).isEmpty();
    assertThat(swagger).isNotNull();
    assertThat(json.get("swagger").asText()).isEqualTo("2.0");
    assertThat(swagger.getPaths()).isNotEmpty();
  }

  @Test
  void isSmallerThanOneMegabyte() throws Exception {
    assertThat(Files.size(out.resolve(ConnectorPackage.API_DEFINITION))).isLessThan(1024 * 1024);
  }

  @Test
  void describesEveryEngineOperationOfTheRelay() {
    List<String> ids = new ArrayList<>();
    eachOperation((key, op) -> ids.add(op.getOperationId()));
    assertThat(ids).containsExactlyInAnyOrder("CreateCustomer", "GetCustomer", "UpdateCustomer", "GetOperation",
        "TestConnection", "UpsertCustomerByExternalId", "ListCustomers", "CreateCustomerBatch", "GetCustomerBatch",
        "ListCustomerBatchResults", "CreateSalesOrder", "GetSalesOrder", "CreateSalesOrderBatch", "GetSalesOrderBatch",
        "ListSalesOrderBatchResults", "ListFunctions", "GetFunction", "CallFunction", "ListODataResources",
        "GetODataEntitySchema", "ListODataEntities", "GetODataEntity", "CreateODataEntity", "UpdateODataEntity",
        "DeleteODataEntity", "ListCustomerChanges", "WhenCustomerChangedPolling", "WhenCustomerChanged",
        "ListSubscriptions", "GetSubscription", "DeleteSubscription");
  }

  @Test
  void operationIdsArePascalCaseWithoutDashOrUnderscore() {
    eachOperation((key, op) -> assertThat(op.getOperationId()).as(key).matches("[A-Z][A-Za-z0-9]*"));
  }

  @Test
  void summariesAreAtMost80CharactersSentenceCaseLettersDigitsParenthesesSpaces() {
    eachOperation((key, op) -> {
      String s = op.getSummary();
      assertThat(s).as(key).isNotBlank().hasSizeLessThanOrEqualTo(80).matches("[A-Za-z0-9() ]+");
      assertThat(Character.isUpperCase(s.charAt(0))).as(key + " starts with a capital").isTrue();
      // Sentence case keeps proper names as they are written: SAP, OData.
      assertThat(s.substring(1).split(" ")).as(key + " sentence case").allMatch(w -> w.isEmpty() || w.equals("SAP")
          || w.equals("OData") || !Character.isUpperCase(w.charAt(0)));
      assertThat(s).as(key).doesNotEndWith(".");
    });
  }

  @Test
  void descriptionsAreFullSentences() {
    eachOperation((key, op) -> assertThat(op.getDescription()).as(key).matches("[A-Z].{20,}\\.").isNotEqualTo(op.getSummary()));
  }

  @Test
  void everyParameterAndSchemaPropertyHasXmsSummaryInTitleCase() {
    eachOperation((key, op) -> {
      for (Parameter p : op.getParameters()) {
        assertTitleCase(key + " " + p.getName(), p.getVendorExtensions().get("x-ms-summary"));
      }
    });
    swagger.getDefinitions().forEach((name, model) -> {
      assertTitleCase(name, model.getVendorExtensions().get("x-ms-summary"));
      if (model.getProperties() != null) {
        model.getProperties().forEach((prop, p) -> {
          if (!json.at("/definitions/" + name + "/properties/" + prop).has("$ref")) {
            assertTitleCase(name + "." + prop, p.getVendorExtensions().get("x-ms-summary"));
          }
        });
      }
    });
  }

  @Test
  void everyOperationAndParameterHasXmsVisibility() {
    List<String> allowed = List.of("important", "advanced", "internal");
    eachOperation((key, op) -> {
      assertThat(op.getVendorExtensions().get("x-ms-visibility")).as(key).isIn(allowed);
      for (Parameter p : op.getParameters()) {
        assertThat(p.getVendorExtensions().get("x-ms-visibility")).as(key + " " + p.getName()).isIn(allowed);
        if ("internal".equals(p.getVendorExtensions().get("x-ms-visibility")) && p.getRequired()) {
          assertThat(json.toString()).as("an internal required parameter needs a default").contains("\"default\"");
        }
      }
    });
  }

  /**
   * A 2xx answer's schema is a definition, has properties, or is read from the relay (x-ms-dynamic-schema, whose
   * target PowerAutomateDynamicOperationsTest checks); 204 No Content, and a polling trigger's 202 ("nothing new,
   * ask again at Location"), and only they, have none.
   */
  @Test
  void every2xxResponseHasAnExplicitNonEmptySchema() {
    eachOperation((key, op) -> op.getResponses().forEach((status, r) -> {
      boolean pollingTriggerWaits = status.equals("202") && "batch".equals(op.getVendorExtensions().get("x-ms-trigger"))
          && op.getResponses().get("202").getHeaders() != null
          && op.getResponses().get("202").getHeaders().containsKey("Retry-After");
      if (status.equals("204") || pollingTriggerWaits) {
        assertThat(r.getResponseSchema()).as(key + " " + status + " has no body").isNull();
      } else if (status.startsWith("2")) {
        Model schema = r.getResponseSchema();
        assertThat(schema).as(key + " " + status).isNotNull();
        String ref = schema.getReference();
        assertThat(ref != null || (schema.getProperties() != null && !schema.getProperties().isEmpty())
            || schema.getVendorExtensions().containsKey("x-ms-dynamic-schema"))
            .as(key + " " + status + " has a non-empty schema").isTrue();
      }
    }));
  }

  @Test
  void errorStatusesAreDeclaredAndNoOperationHasOnlyADefaultResponse() {
    eachOperation((key, op) -> {
      assertThat(op.getResponses()).as(key).doesNotContainKey("default");
      assertThat(op.getResponses().keySet()).as(key).anyMatch(s -> s.startsWith("4"));
      assertThat(op.getResponses().keySet()).as(key).anyMatch(s -> s.startsWith("5"));
      assertThat(op.getResponses().keySet()).as(key).contains("401", "429");
    });
  }

  @Test
  void longActionsDeclare202WithLocationAndRetryAfter() {
    eachOperation((key, op) -> {
      if (List.of("CreateCustomer", "GetCustomer", "UpdateCustomer", "GetOperation", "UpsertCustomerByExternalId",
          "ListCustomers", "CreateCustomerBatch", "GetCustomerBatch", "CreateSalesOrder", "GetSalesOrder",
          "CreateSalesOrderBatch", "GetSalesOrderBatch", "CallFunction", "ListODataEntities", "GetODataEntity",
          "CreateODataEntity", "UpdateODataEntity", "DeleteODataEntity").contains(op.getOperationId())) {
        Response accepted = op.getResponses().get("202");
        assertThat(accepted).as(key).isNotNull();
        Map<String, Property> headers = accepted.getHeaders();
        assertThat(headers).as(key).containsKeys("Location", "Retry-After");
        assertThat(headers.get("Retry-After").getType()).isEqualTo("integer");
      }
    });
  }

  @Test
  void theUpsertDeclaresBothAnswersAndTheHeaderThatTellsThemApart() {
    Operation upsert = swagger.getPath("/v1/customers/by-external-id/{externalId}").getPut();
    assertThat(upsert.getResponses()).containsKeys("200", "201", "202", "409", "422");
    assertThat(upsert.getResponses().get("201").getHeaders()).containsKeys("Location", "Ferry-Upsert", "ETag");
    assertThat(upsert.getResponses().get("200").getHeaders()).containsKey("Ferry-Upsert").doesNotContainKey("Location");
    assertThat(upsert.getParameters()).extracting(Parameter::getName).contains("externalId", "body", "Idempotency-Key");
  }

  @Test
  void theListIsPageableByItsNextLinkAndAnswersValue() {
    Operation list = swagger.getPath("/v1/customers").getGet();
    assertThat(json.at("/paths/~1v1~1customers/get/x-ms-pageable/nextLinkName").asText()).isEqualTo("nextLink");
    assertThat(list.getParameters()).extracting(Parameter::getName).containsExactly("search", "top", "cursor", "Prefer",
        "traceparent", "X-Ferry-Agent-Group");
    assertThat(list.getResponses().get("200").getResponseSchema().getReference()).endsWith("CustomerList");
    JsonNode page = json.at("/definitions/CustomerList/properties");
    assertThat(page.at("/value/type").asText()).isEqualTo("array");
    assertThat(page.at("/value/items/$ref").asText()).isEqualTo("#/definitions/Customer");
    assertThat(page.at("/nextLink/type").asText()).isEqualTo("string");
  }

  @Test
  void aBatchTakesJsonOrCsvAndItsResultsAreJsonPagesOrCsv() {
    Operation create = swagger.getPath("/v1/customer-batches").getPost();
    assertThat(create.getConsumes()).containsExactly("application/json", "text/csv");
    assertThat(create.getParameters()).filteredOn(p -> p.getName().equals("mode")).singleElement()
        .satisfies(p -> assertThat(p.getRequired()).isTrue());
    assertThat(json.at("/paths/~1v1~1customer-batches/post/parameters").toString()).contains("\"mapping\"");
    Operation results = swagger.getPath("/v1/customer-batches/{id}/results").getGet();
    assertThat(results.getResponses().get("200").getResponseSchema().getReference()).endsWith("CustomerBatchResults");
  }

  @Test
  void containsNoNullsAnywhere() {
    assertThat(raw).doesNotContainPattern(":\\s*null");
    assertThat(Files.exists(out.resolve(ConnectorPackage.API_PROPERTIES))).isTrue();
  }

  @Test
  void usesNoAllOf() {
    assertThat(raw).doesNotContain("allOf");
  }

  @Test
  void usesNoCollectionFormatMulti() {
    eachOperation((key, op) -> op.getParameters().forEach(p -> {
      if (p instanceof QueryParameter q) {
        assertThat(q.getCollectionFormat()).as(key + " " + p.getName()).isNotEqualTo("multi");
      }
    }));
    assertThat(raw).doesNotContain("\"multi\"");
  }

  @Test
  void infoHasAContact() {
    assertThat(swagger.getInfo().getContact()).isNotNull();
    assertThat(swagger.getInfo().getContact().getName()).isNotBlank();
    assertThat(swagger.getInfo().getContact().getUrl()).startsWith("https://");
  }

  @Test
  void infoNamesTheLicenseAsTheRelaysDescriptionDoes() {
    assertThat(swagger.getInfo().getLicense()).isNotNull();
    assertThat(swagger.getInfo().getLicense().getName())
        .isEqualTo(io.ferry.relay.openapi.OpenApiDocument.template().at("/info/license/name").asText()).isNotBlank();
    assertThat(swagger.getInfo().getLicense().getUrl()).startsWith("https://");
  }

  @Test
  void hasConnectorMetadataWithWebsitePrivacyPolicyAndCategories() {
    JsonNode metadata = json.get("x-ms-connector-metadata");
    assertThat(metadata).isNotNull();
    List<String> names = new ArrayList<>();
    metadata.forEach(m -> {
      names.add(m.get("propertyName").asText());
      assertThat(m.get("propertyValue").asText()).isNotBlank();
    });
    assertThat(names).containsExactlyInAnyOrder("Website", "Privacy policy", "Categories");
  }

  @Test
  void titleIsAtMost30CharactersWithoutApiOrConnector() {
    String title = swagger.getInfo().getTitle();
    assertThat(title).hasSizeLessThanOrEqualTo(30).doesNotContainIgnoringCase("api").doesNotContainIgnoringCase("connector");
  }

  @Test
  void hasExactlyOneSecurityDefinitionAnApiKeyInTheXApiKeyHeader() {
    assertThat(swagger.getSecurityDefinitions()).hasSize(1);
    JsonNode def = json.at("/securityDefinitions/api_key");
    assertThat(def.get("type").asText()).isEqualTo("apiKey");
    assertThat(def.get("in").asText()).isEqualTo("header");
    assertThat(def.get("name").asText()).isEqualTo("X-API-Key");
  }

  @Test
  void testConnectionPointsAtACheapAuthenticatedGet() {
    String id = json.at("/x-ms-capabilities/testConnection/operationId").asText();
    assertThat(id).isEqualTo("TestConnection");
    Operation op = swagger.getPath("/v1/connection").getGet();
    assertThat(op.getOperationId()).isEqualTo(id);
    assertThat(op.getResponses()).containsKeys("200", "401");
  }

  // ---------------------------------------------------------------- properties and icon

  @Test
  void apiPropertiesAskForTheApiKeyAsASecureString() throws Exception {
    JsonNode props = Protocol.json().readTree(out.resolve(ConnectorPackage.API_PROPERTIES).toFile()).get("properties");
    JsonNode key = props.at("/connectionParameters/api_key");
    assertThat(key.get("type").asText()).isEqualTo("securestring");
    assertThat(key.at("/uiDefinition/displayName").asText()).isEqualTo("API Key");
    assertThat(props.get("capabilities").isArray()).isTrue();
    assertThat(Files.readString(out.resolve(ConnectorPackage.API_PROPERTIES))).doesNotContainPattern(":\\s*null");
  }

  @Test
  void brandColourIsNotOneMicrosoftReserves() throws Exception {
    JsonNode props = Protocol.json().readTree(out.resolve(ConnectorPackage.API_PROPERTIES).toFile()).get("properties");
    String colour = props.get("iconBrandColor").asText();
    assertThat(colour).matches("#[0-9a-fA-F]{6}").isNotEqualToIgnoringCase("#007ee5").isNotEqualToIgnoringCase("#ffffff");
  }

  @Test
  void iconIsASmallSquarePngInTheBrandColour() throws Exception {
    byte[] png = Files.readAllBytes(out.resolve(ConnectorPackage.ICON));
    assertThat(png.length).isBetween(500, 2048);
    BufferedImage image = ImageIO.read(out.resolve(ConnectorPackage.ICON).toFile());
    assertThat(image.getWidth()).isEqualTo(230);
    assertThat(image.getHeight()).isEqualTo(230);
    assertThat(String.format("#%06x", image.getRGB(0, 0) & 0xffffff)).isEqualTo(ConnectorPackage.BRAND_COLOR);
  }

  private static void assertTitleCase(String where, Object summary) {
    assertThat(summary).as(where + " x-ms-summary").isInstanceOf(String.class);
    for (String word : ((String) summary).split(" ")) {
      char first = word.charAt(0);
      assertThat(Character.isUpperCase(first) || Character.isDigit(first)).as(where + ": '" + summary + "' in Title Case")
          .isTrue();
    }
  }

  private static void eachOperation(BiConsumer<String, Operation> check) {
    for (Map.Entry<String, Path> p : swagger.getPaths().entrySet()) {
      for (Map.Entry<HttpMethod, Operation> op : p.getValue().getOperationMap().entrySet()) {
        check.accept(op.getKey() + " " + p.getKey(), op.getValue());
      }
    }
  }
}
