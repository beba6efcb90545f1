package io.ferry.protocol.odata;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The output of a successful {@code odata.read} or {@code odata.write}: SAP Gateway's answer, with every link into
 * the service made relative to the service root (so neither the relay nor the engine learns SAP's host), and the
 * relay makes them absolute links of its own ({@code /v1/odata/{service}/…}).
 *
 * @param status Gateway's HTTP status (200, 201, 204)
 * @param body the JSON answer (the {@code d} member unwrapped), absent for 204
 * @param text a text answer instead ({@code $metadata}: the EDMX), with {@code contentType}
 * @param etag Gateway's ETag header, if any
 * @param location a created entity's path below the service root ({@code A_BusinessPartner('1000123')})
 * @param nextLink Gateway's {@code __next} as a path with query below the service root, when there are more pages
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ODataAnswer(int status, JsonNode body, String text, String contentType, String etag, String location,
    String nextLink) {}
