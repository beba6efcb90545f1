package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What an agent allows to be reached generically, as {@code catalog.read} answers it: the function modules of
 * {@code policy.functions} and the OData resources of {@code policy.odata.resources}. The relay shows it to engines
 * ({@code GET /v1/functions}, {@code GET /v1/odata}) and caches it with the schemas per agent group while the agents
 * report the same {@link #fingerprint()}.
 *
 * @param fingerprint changes whenever the allowlist or an allowed function's interface in SAP changes (a hash;
 *     never holds a name or a host)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Catalog(String fingerprint, List<Function> functions, List<ODataResource> odata) {

  public Catalog {
    functions = functions == null ? List.of() : List.copyOf(functions);
    odata = odata == null ? List.of() : List.copyOf(odata);
  }

  /**
   * An allowed function module.
   *
   * @param description SAP's short text in the agent's logon language, when SAP has one
   * @param repeatable the agent's configuration marks it safe to repeat ({@code policy.functions.repeatable}): a
   *     call whose outcome is unknown is run again instead of ending {@code outcome-unknown}
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Function(String name, String description, boolean repeatable) {}

  /**
   * An allowed OData resource: a service the agent is configured with ({@code sap.odata.services.<name>.url}) and an
   * entity set of it ({@code *} for every one), with the HTTP methods allowed on it.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ODataResource(String service, String entitySet, List<String> methods) {
    public ODataResource {
      methods = methods == null ? List.of() : List.copyOf(methods);
    }
  }
}
