package io.ferry.protocol.odata;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The payload of {@code odata.read} and {@code odata.write}: one request on a service the agent is configured with,
 * named by the agent's name for it (the relay never learns SAP's host names).
 *
 * @param service the agent's name of the service ({@code sap.odata.services.<name>.url}), such as
 *     {@code API_BUSINESS_PARTNER}
 * @param method GET, POST, PUT, PATCH, MERGE or DELETE
 * @param path the resource path below the service root, without a leading slash: {@code A_BusinessPartner},
 *     {@code A_BusinessPartner('1000')/to_BusinessPartnerAddress}, {@code $metadata}
 * @param query the system query options as the engine sent them, URL-encoded ({@code $filter=…&$top=5}); only
 *     {@code $filter $select $expand $top $skip $orderby $inlinecount $skiptoken} pass
 * @param body the request body for POST, PUT, PATCH and MERGE (a deep insert as its hierarchy)
 * @param ifMatch the engine's If-Match, passed through to SAP
 * @param schema {@code true}: answer the JSON Schema of the entity set named by {@code path} instead of calling it
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ODataRequest(String service, String method, String path, String query, JsonNode body, String ifMatch,
    Boolean schema) {

  public boolean wantsSchema() {
    return Boolean.TRUE.equals(schema);
  }
}
