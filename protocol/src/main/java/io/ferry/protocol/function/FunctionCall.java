package io.ferry.protocol.function;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The payload of {@code function.call}, the engine's body of {@code POST /v1/functions/{name}} with the name added.
 * Parameter values are JSON as the function's {@link FunctionInterface#request() schema} says; the agent checks them
 * against SAP's metadata before anything reaches SAP.
 *
 * @param commit {@code true}: after the call, {@code BAPI_TRANSACTION_COMMIT} (WAIT) in the same session when no
 *     error came back, else {@code BAPI_TRANSACTION_ROLLBACK}; {@code false} or absent: neither
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FunctionCall(String function, ObjectNode importing, ObjectNode changing, ObjectNode tables,
    Boolean commit) {

  public boolean commits() {
    return Boolean.TRUE.equals(commit);
  }
}
