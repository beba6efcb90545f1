package io.ferry.protocol.function;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.SapMessage;
import java.util.List;

/**
 * The output of a successful {@code function.call}: the exporting, changing and tables parameters as JSON, and the
 * messages of its {@code RETURN} parameter (none of type E or A: those fail the job).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FunctionAnswer(ObjectNode exporting, ObjectNode changing, ObjectNode tables, List<SapMessage> messages) {

  public FunctionAnswer {
    messages = messages == null ? List.of() : List.copyOf(messages);
  }
}
