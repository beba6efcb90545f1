package io.ferry.relay.dispatch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Action;
import io.ferry.protocol.Customer;
import io.ferry.protocol.CustomerPage;
import io.ferry.protocol.CustomerRules;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Problem;
import io.ferry.protocol.Protocol;
import io.ferry.relay.objects.BusinessObject;
import io.ferry.relay.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a SUCCEEDED job produced, as stored in {@code jobs.result_json}: the customer (create, read,
 * update: the customer's JSON itself, as before upserts and searches existed), the customer and what the
 * upsert did (upsert), the page (search), or for an action that carries a payload the object SAP made or holds
 * (a sales order), as that object's JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobOutput(Customer customer, JobResult.Effect effect, CustomerPage page, JsonNode output) {

  private static final ObjectMapper JSON = Protocol.json();

  /** The output of an agent's SUCCEEDED result for a job of this action; empty names what is missing. */
  public static Optional<JobOutput> of(Action action, JobResult result) {
    return switch (action) {
      case CUSTOMER_CREATE, CUSTOMER_READ, CUSTOMER_UPDATE -> Optional.ofNullable(result.customer())
          .map(c -> new JobOutput(c, null, null, null));
      case CUSTOMER_UPSERT -> result.customer() == null || result.effect() == null ? Optional.empty()
          : Optional.of(new JobOutput(result.customer(), result.effect(), null, null));
      case CUSTOMER_SEARCH -> Optional.ofNullable(result.page()).map(p -> new JobOutput(null, null, p, null));
      // A function that answers nothing (no exporting, changing, tables or messages) is an empty object, which the
      // result's JSON leaves out as it leaves out every empty member.
      case FUNCTION_CALL -> Optional.of(new JobOutput(null, null, null,
          result.output() == null ? JSON.createObjectNode() : result.output())).filter(o -> o.output().isObject());
      // Every object after customers: SAP's answer as its JSON.
      default -> Optional.ofNullable(result.output()).filter(JsonNode::isObject)
          .map(o -> new JobOutput(null, null, null, o));
    };
  }

  /** What a SUCCEEDED result of this action must carry, for the message that refuses one without it. */
  public static String expected(Action action) {
    return switch (action) {
      case CUSTOMER_CREATE, CUSTOMER_READ, CUSTOMER_UPDATE -> "the customer";
      case CUSTOMER_UPSERT -> "the customer and the effect (CREATED or UPDATED)";
      case CUSTOMER_SEARCH -> "the page";
      default -> "the " + BusinessObject.of(action).noun() + " as output";
    };
  }

  /**
   * Where this output of a job of {@code action} breaks its object's model ({@link CustomerRules#checkResult} for
   * customers: the fields as {@code customer.name}, a page's as {@code page.customers[2].name}; the object's rules for
   * an {@code output}, as {@code output.items[0].item}); empty when it keeps to it.
   */
  public List<Problem.FieldError> breaches(Action action) {
    List<Problem.FieldError> errors = new ArrayList<>();
    if (customer != null) {
      prefixed("customer.", CustomerRules.checkResult(JSON.valueToTree(customer)), errors);
    }
    if (page != null && page.customers() != null) {
      for (int i = 0; i < page.customers().size(); i++) {
        prefixed("page.customers[" + i + "].", CustomerRules.checkResult(JSON.valueToTree(page.customers().get(i))),
            errors);
      }
    }
    if (output != null) {
      prefixed("output.", BusinessObject.of(action).breaches(output), errors);
    }
    return errors;
  }

  /** The code of the problem a job ends with when its agent's result broke the model ({@code invalid-agent-result}). */
  public static final String INVALID_RESULT_CODE = "FERRY-RELAY-0508";

  /** The breaches as one line for messages and logs: {@code customer.name must be at most 35 …; …}. */
  public static String describe(List<Problem.FieldError> breaches) {
    return breaches.stream().map(e -> e.field() + " " + e.message()).collect(java.util.stream.Collectors.joining("; "));
  }

  /**
   * The error a job ends FAILED with when its agent reported a SUCCEEDED result that breaks the customer model:
   * the relay keeps none of it, and the engine hears that SAP may have done the operation.
   */
  public static JobError invalidResult(Action action, List<Problem.FieldError> breaches) {
    return new JobError(JobError.Kind.INTERNAL, INVALID_RESULT_CODE, "the agent reported a result of "
        + action.wireName() + " that breaks the " + model(action) + " (" + describe(breaches) + "), so the relay did not keep "
        + "it; SAP may have done the operation: check the customer in SAP before sending the request again", null);
  }

  /**
   * How the relay's FAILED line ends: the problem code and the HTTP status the engine hears,
   * {@code ": FERRY-SAP-0001, HTTP 422"}. Parsed from the stored error only for that line (a few hundred bytes,
   * failures only); empty when there is none to read.
   */
  public static String failureSummary(String errorJson) {
    if (errorJson == null) {
      return "";
    }
    try {
      JobError error = JSON.readValue(errorJson, JobError.class);
      JobError.Kind kind = error.kind() == null ? JobError.Kind.INTERNAL : error.kind();
      // The relay's own verdict on a result is a 502 (invalid-agent-result), whatever kind it is filed under.
      int status = INVALID_RESULT_CODE.equals(error.code()) ? 502 : kind.httpStatus();
      String code = error.code() == null || error.code().isBlank() ? kind.name().toLowerCase(java.util.Locale.ROOT)
          : error.code();
      return ": " + code + ", HTTP " + status;
    } catch (JsonProcessingException e) {
      return "";
    }
  }

  /** The model a result of {@code action} must keep to, for messages: {@code the customer model}. */
  public static String model(Action action) {
    return BusinessObject.of(action).model();
  }

  private static void prefixed(String prefix, List<Problem.FieldError> found, List<Problem.FieldError> into) {
    found.forEach(e -> into.add(new Problem.FieldError(prefix + e.field(), e.message())));
  }

  public String toJson(Action action) {
    try {
      return switch (action) {
        case CUSTOMER_CREATE, CUSTOMER_READ, CUSTOMER_UPDATE -> JSON.writeValueAsString(customer);
        case CUSTOMER_UPSERT, CUSTOMER_SEARCH -> JSON.writeValueAsString(this);
        default -> JSON.writeValueAsString(output);
      };
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a job output always serialises", e);
    }
  }

  public static JobOutput fromJson(Action action, String json) {
    try {
      return switch (action) {
        case CUSTOMER_CREATE, CUSTOMER_READ, CUSTOMER_UPDATE ->
            new JobOutput(JSON.readValue(json, Customer.class), null, null, null);
        case CUSTOMER_UPSERT, CUSTOMER_SEARCH -> JSON.readValue(json, JobOutput.class);
        default -> new JobOutput(null, null, null, JSON.readTree(json));
      };
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored job result is not readable: " + e.getOriginalMessage(), e);
    }
  }
}
