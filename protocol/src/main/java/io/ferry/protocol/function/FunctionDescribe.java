package io.ferry.protocol.function;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The payload of {@code function.describe}: which function module's interface to read from SAP's repository. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FunctionDescribe(String function) {}
