package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of what Ferry reads from outside: the field rules and the merge patch take an engine's
 * JSON, the decoder takes whatever arrives on the agent's connection. Whatever the input, they answer
 * with their documented results — field errors, a decoding exception — and never anything else.
 */
class InputPropertiesTest {

  private static final ObjectMapper JSON = Protocol.json();
  private static final List<String> CHANGEABLE = List.of("externalId", "name", "name2", "street", "houseNumber",
      "postalCode", "city", "region", "country", "language", "currency", "email", "phone");
  private static final Set<String> CLEARABLE = Set.of("externalId", "name2", "houseNumber", "region", "email", "phone");

  @Property(tries = 300)
  void aMergePatchChangesExactlyTheFieldsItNames(@ForAll("customers") Customer current, @ForAll("patches") ObjectNode patch) {
    CustomerPatch p = CustomerPatch.fromMergePatch(patch);
    JsonNode before = JSON.valueToTree(current);
    JsonNode after = JSON.valueToTree(p.applyTo(current));

    for (String field : CHANGEABLE) {
      if (patch.has(field)) {
        JsonNode wanted = patch.get(field);
        if (wanted.isNull()) {
          assertThat(after.has(field)).as(field + " cleared").isFalse();
        } else {
          assertThat(after.get(field)).as(field + " set").isEqualTo(wanted);
        }
      } else {
        assertThat(after.get(field)).as(field + " untouched").isEqualTo(before.get(field));
      }
    }
  }

  @Property(tries = 300)
  void aValidPatchIsAcceptedByTheRules(@ForAll("patches") ObjectNode patch) {
    assertThat(CustomerRules.checkPatch(patch)).isEmpty();
  }

  @Property(tries = 500)
  void theRulesAnswerAnyJsonWithFieldErrorsOnly(@ForAll("anyJson") JsonNode body) {
    assertThatCode(() -> {
      List<Problem.FieldError> create = CustomerRules.checkCreate(body);
      List<Problem.FieldError> patch = CustomerRules.checkPatch(body);
      assertThat(create).allSatisfy(e -> assertThat(e.message()).isNotBlank());
      assertThat(patch).allSatisfy(e -> assertThat(e.message()).isNotBlank());
    }).doesNotThrowAnyException();
  }

  @Property(tries = 500)
  void theDecoderEitherReadsAJobOrSaysItCannot(@ForAll("anyJson") JsonNode wire) {
    byte[] bytes = wire.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (Class<?> type : List.of(JobEnvelope.class, JobResult.class, PollResponse.class)) {
      try {
        JSON.readValue(bytes, type);
      } catch (IOException expected) {
        // the documented answer to input that is not the record: a Jackson exception, which callers map
      }
    }
  }

  @Property(tries = 300)
  void truncatedJobsAreRefusedNotHalfRead(@ForAll("customers") Customer c, @ForAll("cut") double cut) throws Exception {
    JobEnvelope job = new JobEnvelope(Protocol.VERSION, "job-1", Action.CUSTOMER_CREATE, 1, null, null, null, c, null,
        null, null, null);
    String text = JSON.writeValueAsString(job);
    String truncated = text.substring(0, (int) (text.length() * cut));
    try {
      JSON.readValue(truncated, JobEnvelope.class);
      assertThat(truncated).as("only the whole document reads").isEqualTo(text);
    } catch (JsonProcessingException expected) {
      // refused
    }
    assertThat(JSON.readValue(text, JobEnvelope.class)).isEqualTo(job);
  }

  @Provide
  Arbitrary<Double> cut() {
    return Arbitraries.doubles().between(0.0, 0.99).ofScale(3);
  }

  @Provide
  Arbitrary<Customer> customers() {
    Arbitrary<String> text = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10).injectNull(0.3);
    return Combinators.combine(text, text, text, text, text).as((name, name2, city, street, phone) ->
        Customer.builder().customerNumber("0000100001").name(name == null ? "A" : name).name2(name2).city(city)
            .street(street).phone(phone).country("DE").language("de").currency("EUR").build());
  }

  @Provide
  Arbitrary<ObjectNode> patches() {
    Arbitrary<Map.Entry<String, JsonNode>> entry = Arbitraries.of(CHANGEABLE).flatMap(field -> {
      Arbitrary<JsonNode> value = switch (field) {
        case "country" -> Arbitraries.of("DE", "US", "FR").map(JsonNodeFactory.instance::textNode);
        case "language" -> Arbitraries.of("de", "en", "fr").map(JsonNodeFactory.instance::textNode);
        case "currency" -> Arbitraries.of("EUR", "USD", "CHF").map(JsonNodeFactory.instance::textNode);
        case "email" -> Arbitraries.of("a@b.example", "x.y@z.example").map(JsonNodeFactory.instance::textNode);
        case "region" -> Arbitraries.strings().withCharRange('A', 'Z').ofLength(2).map(JsonNodeFactory.instance::textNode);
        default -> Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10)
            .map(JsonNodeFactory.instance::textNode);
      };
      Arbitrary<JsonNode> maybeNull = CLEARABLE.contains(field)
          ? Arbitraries.oneOf(value, Arbitraries.just(JsonNodeFactory.instance.nullNode())) : value;
      return maybeNull.map(v -> Map.entry(field, v));
    });
    return entry.list().ofMinSize(1).ofMaxSize(6).map(entries -> {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      entries.forEach(e -> o.set(e.getKey(), e.getValue()));
      return o;
    });
  }

  /** Arbitrary JSON: objects, arrays and scalars, nested a few levels, with the model's field names mixed in. */
  @Provide
  Arbitrary<JsonNode> anyJson() {
    return json(3);
  }

  private Arbitrary<JsonNode> json(int depth) {
    Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40).map(JsonNodeFactory.instance::textNode),
        Arbitraries.integers().map(JsonNodeFactory.instance::numberNode),
        Arbitraries.of(true, false).map(JsonNodeFactory.instance::booleanNode),
        Arbitraries.just(JsonNodeFactory.instance.nullNode()));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("name", "country", "salesArea", "customer", "jobId",
        "action", "attempt", "changes", "jobs", "outcome", "salesOrganization", "email", "customerNumber"),
        Arbitraries.strings().ofMaxLength(8));
    Arbitrary<JsonNode> object = Combinators.combine(key, json(depth - 1)).as(Map::entry).list().ofMaxSize(5)
        .map(entries -> {
          ObjectNode o = JsonNodeFactory.instance.objectNode();
          entries.forEach(e -> o.set(e.getKey(), e.getValue()));
          return o;
        });
    Arbitrary<JsonNode> array = json(depth - 1).list().ofMaxSize(4).map(items -> {
      var a = JsonNodeFactory.instance.arrayNode();
      items.forEach(a::add);
      return a;
    });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, scalar), net.jqwik.api.Tuple.of(4, object), net.jqwik.api.Tuple.of(2, array));
  }
}
