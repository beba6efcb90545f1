package io.ferry.cli.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.cli.command.ExitCode;
import io.ferry.cli.command.FerryCommand;
import io.ferry.protocol.Protocol;
import io.swagger.parser.SwaggerParser;
import io.swagger.parser.util.SwaggerDeserializationResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector's two triggers on the change feed, as shared/reference/engines-wave2.md §1–2 prescribes them: the
 * webhook trigger (a subscription Power Automate makes with its callback URL and deletes at the answer's Location)
 * and its polling variant (202 + Retry-After + Location until changes come). The rule checks of
 * {@link PowerAutomatePackageTest} cover them like every other operation.
 */
class PowerAutomateTriggersTest {

  @TempDir
  static java.nio.file.Path out;
  static JsonNode swagger;
  static SwaggerDeserializationResult parsed;
  /** operationId → the operation as exported; path and method of each. */
  static final Map<String, JsonNode> OPERATIONS = new HashMap<>();
  static final Map<String, String> WHERE = new HashMap<>();

  @BeforeAll
  static void export() throws Exception {
    StringWriter printed = new StringWriter();
    int code = FerryCommand.commandLine(new PrintWriter(printed, true), new PrintWriter(printed, true))
        .execute("connector", "export", "--host", "relay.example.com", "--out", out.toString());
    assertThat(code).as(printed.toString()).isEqualTo(ExitCode.OK);
    String raw = Files.readString(out.resolve(ConnectorPackage.API_DEFINITION));
    swagger = Protocol.json().readTree(raw);
    parsed = new SwaggerParser().readWithInfo(raw);
    swagger.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      OPERATIONS.put(op.getValue().get("operationId").asText(), op.getValue());
      WHERE.put(op.getValue().get("operationId").asText(), op.getKey().toUpperCase() + " " + path.getKey());
    }));
  }

  @Test
  void theDefinitionWithTriggersStillParsesWithoutMessages() {
    assertThat(parsed.getMessages()).isEmpty();
  }

  @Test
  void exactlyTheTwoTriggersAreTriggersAndOfTheRightKind() {
    Map<String, String> kinds = new HashMap<>();
    OPERATIONS.forEach((id, op) -> {
      if (op.has("x-ms-trigger")) {
        kinds.put(id, op.get("x-ms-trigger").asText());
      }
    });
    assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of("WhenCustomerChanged", "single",
        "WhenCustomerChangedPolling", "batch"));
    assertThat(OPERATIONS.get("WhenCustomerChanged").get("summary").asText())
        .isEqualTo("When a customer is created or changed in SAP");
    assertThat(OPERATIONS.get("WhenCustomerChangedPolling").get("summary").asText())
        .isEqualTo("When a customer is created or changed in SAP (polling)");
    assertThat(WHERE.get("WhenCustomerChanged")).isEqualTo("POST /v1/subscriptions");
    assertThat(WHERE.get("WhenCustomerChangedPolling")).isEqualTo("GET /v1/customer-changes/trigger");
    for (String id : kinds.keySet()) {
      assertThat(OPERATIONS.get(id).path("x-ms-trigger-hint").asText()).as(id).isNotBlank();
    }
  }

  @Test
  void theWebhookTriggerHandsItsCallbackUrlInAHiddenBodyPropertyAndAsksForBothEvents() {
    JsonNode op = OPERATIONS.get("WhenCustomerChanged");
    JsonNode body = null;
    for (JsonNode p : op.get("parameters")) {
      if (p.get("in").asText().equals("body")) {
        body = p;
      }
    }
    assertThat(body).as("a body parameter").isNotNull();
    JsonNode schema = deref(body.get("schema"));
    List<String> notificationUrls = new ArrayList<>();
    schema.get("properties").fields().forEachRemaining(e -> {
      if (e.getValue().path("x-ms-notification-url").asBoolean()) {
        notificationUrls.add(e.getKey());
        assertThat(e.getValue().get("x-ms-visibility").asText()).isEqualTo("internal");
        assertThat(e.getValue().get("type").asText()).isEqualTo("string");
      }
    });
    assertThat(notificationUrls).containsExactly("url");
    JsonNode events = schema.at("/properties/events");
    assertThat(events.get("x-ms-visibility").asText()).isEqualTo("internal");
    // Internal and required: the default is what Power Automate sends.
    assertThat(schema.get("required").toString()).contains("events");
    assertThat(events.get("default").toString()).isEqualTo("[\"customer.created\",\"customer.changed\"]");
  }

  @Test
  void theWebhookTriggerAnswers201WithALocationThatAnInternalDeleteServes() {
    JsonNode created = OPERATIONS.get("WhenCustomerChanged").at("/responses/201");
    assertThat(created.isMissingNode()).isFalse();
    assertThat(created.at("/headers/Location/type").asText()).isEqualTo("string");
    assertThat(created.at("/schema/$ref").asText()).isEqualTo("#/definitions/Subscription");
    // The unsubscribe Power Automate calls at that Location: a DELETE on the subscription's path, hidden.
    assertThat(WHERE.get("DeleteSubscription")).isEqualTo("DELETE /v1/subscriptions/{id}");
    JsonNode delete = OPERATIONS.get("DeleteSubscription");
    assertThat(delete.get("x-ms-visibility").asText()).isEqualTo("internal");
    assertThat(delete.get("responses").has("204")).isTrue();
    assertThat(delete.get("responses").has("404")).isTrue();
  }

  @Test
  void theWebhookTriggersOutputIsTheDeliveredEvent() {
    JsonNode content = OPERATIONS.get("WhenCustomerChanged").get("x-ms-notification-content");
    assertThat(content).isNotNull();
    assertThat(content.get("description").asText()).isNotBlank();
    assertThat(content.at("/schema/$ref").asText()).isEqualTo("#/definitions/CustomerChangeEvent");
    JsonNode event = deref(content.get("schema"));
    assertThat(event.get("properties").fieldNames()).toIterable()
        .contains("id", "type", "customerNumber", "externalId", "changedAt", "customer");
    assertThat(event.at("/properties/customer/$ref").asText()).isEqualTo("#/definitions/Customer");
  }

  @Test
  void thePollingTriggerWaitsWith202AndFiresWith200OnTheValueArray() {
    JsonNode op = OPERATIONS.get("WhenCustomerChangedPolling");
    for (String status : List.of("200", "202")) {
      JsonNode headers = op.at("/responses/" + status + "/headers");
      assertThat(headers.has("Location")).as(status).isTrue();
      assertThat(headers.at("/Retry-After/type").asText()).as(status).isEqualTo("integer");
    }
    assertThat(op.at("/responses/202/schema").isMissingNode()).as("202 has no body").isTrue();
    JsonNode batch = deref(op.at("/responses/200/schema"));
    assertThat(batch.at("/properties/value/type").asText()).isEqualTo("array");
    assertThat(batch.at("/properties/value/items/$ref").asText()).isEqualTo("#/definitions/CustomerChangeEvent");
    assertThat(op.get("responses").has("410")).as("the expired cursor").isTrue();
    // The state is the cursor in Location: never a field a maker fills.
    for (JsonNode p : op.get("parameters")) {
      if (p.get("name").asText().equals("cursor")) {
        assertThat(p.get("x-ms-visibility").asText()).isEqualTo("internal");
        assertThat(p.get("required").asBoolean()).isFalse();
      }
    }
  }

  @Test
  void everyReferenceOfTheTriggersResolves() {
    for (String id : List.of("WhenCustomerChanged", "WhenCustomerChangedPolling", "DeleteSubscription",
        "GetSubscription", "ListSubscriptions")) {
      List<String> refs = new ArrayList<>();
      collectRefs(OPERATIONS.get(id), refs);
      for (int i = 0; i < refs.size(); i++) {
        String ref = refs.get(i);
        assertThat(ref).as(id).startsWith("#/definitions/");
        JsonNode target = swagger.at(ref.substring(1));
        assertThat(target.isMissingNode()).as(id + " " + ref).isFalse();
        collectRefs(target, refs);
      }
    }
  }

  @Test
  void theOpenApi31WebhooksStayOutOfTheConnector() {
    assertThat(swagger.has("webhooks")).isFalse();
    assertThat(OPERATIONS).doesNotContainKeys("ReceiveCustomerChange", "CreateSubscription", "PollCustomerChanges");
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("$ref")) {
          if (!refs.contains(e.getValue().asText())) {
            refs.add(e.getValue().asText());
          }
        } else {
          collectRefs(e.getValue(), refs);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, refs));
    }
  }

  private static JsonNode deref(JsonNode schema) {
    return schema.has("$ref") ? swagger.at(schema.get("$ref").asText().substring(1)) : schema;
  }
}
