package io.ferry.protocol.function;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The output of {@code function.describe}: a function module's interface as JSON Schema (draft 2020-12), read by the
 * agent from SAP's repository. The type mapping is written down in docs/functions.md.
 *
 * @param description SAP's short text of the function, when it has one
 * @param request the schema of a call's body: {@code importing}, {@code changing}, {@code tables}, {@code commit}
 * @param response the schema of its answer: {@code exporting}, {@code changing}, {@code tables}, {@code messages}
 * @param exceptions the ABAP exception keys the function may raise
 * @param repeatable whether the agent repeats a call whose outcome is unknown ({@code policy.functions.repeatable})
 * @param fingerprint the agent's catalog fingerprint when it read this interface
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FunctionInterface(String function, String description, ObjectNode request, ObjectNode response,
    java.util.List<String> exceptions, boolean repeatable, String fingerprint) {}
