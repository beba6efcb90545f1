package io.ferry.agent.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What this agent lets engines reach generically, beyond the curated business objects: function modules by name and
 * OData resources by service, entity set and method. Every list is empty by default — nothing is reachable until the
 * SAP administrator names it:
 *
 * <pre>
 * policy.functions=BAPI_COMPANYCODE_GETLIST,RFC_READ_TABLE         (default: none)
 * policy.functions.repeatable=BAPI_COMPANYCODE_GETLIST,RFC_READ_TABLE (default: none; a subset of policy.functions)
 * policy.odata.resources=API_BUSINESS_PARTNER/A_BusinessPartner:GET+POST,API_BUSINESS_PARTNER/*:GET (default: none)
 * </pre>
 *
 * <p>These are settings of their own rather than {@code policy.bapi.functions} and {@code policy.odata.paths}: those
 * name what the curated backends call and default to it, so reusing them would open
 * {@code BAPI_CUSTOMER_CREATEFROMDATA1} to generic calls — past the sales-organisation guard — on every agent that
 * never asked for it.
 *
 * <p>A repeatable function is one the administrator knows to be read-only: a call whose outcome is unknown (the
 * agent stopped during it, SAP's answer was lost) is run again. Any other function's call then ends
 * {@code outcome-unknown} and is never repeated. A resource entry without methods allows GET only; {@code *} as
 * entity set covers every set of the service; a service's {@code $metadata} is readable when any of its entries is.
 *
 * @param functions function modules engines may call (upper case)
 * @param repeatableFunctions those of them that are safe to run again
 * @param odataResources the OData resources engines may address
 */
public record GenericGrants(Set<String> functions, Set<String> repeatableFunctions, List<Resource> odataResources) {

  /** The settings, without the {@code policy.} prefix. */
  public static final List<String> KEYS = List.of("functions", "functions.repeatable", "odata.resources");
  /** The methods an OData resource entry may name. */
  public static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "MERGE", "DELETE");

  private static final Pattern FUNCTION = Pattern.compile("[A-Z0-9_/]{1,30}");
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9_]{1,64}");
  private static final Pattern RESOURCE =
      Pattern.compile("([A-Za-z0-9_]{1,64})/(\\*|[A-Za-z_][A-Za-z0-9_]{0,63})(?::([A-Za-z+]+))?");

  /** Nothing reachable. */
  public static final GenericGrants NONE = new GenericGrants(Set.of(), Set.of(), List.of());

  public GenericGrants {
    functions = Set.copyOf(functions);
    repeatableFunctions = Set.copyOf(repeatableFunctions);
    odataResources = List.copyOf(odataResources);
  }

  /**
   * One allowed OData resource.
   *
   * @param service the agent's name of the service ({@code sap.odata.services.<name>.url})
   * @param entitySet an entity set of it, or {@code *} for every one
   * @param methods the HTTP methods allowed on it (upper case)
   */
  public record Resource(String service, String entitySet, Set<String> methods) {

    public Resource {
      methods = Set.copyOf(methods);
    }

    /** Whether this entry covers {@code method} on {@code entitySet} of {@code service}. */
    public boolean covers(String service, String entitySet, String method) {
      return this.service.equals(service) && ("*".equals(this.entitySet) || this.entitySet.equals(entitySet))
          && methods.contains(method.toUpperCase(Locale.ROOT));
    }

    /** As in the configuration: {@code API_BUSINESS_PARTNER/A_BusinessPartner:GET+POST}. */
    @Override
    public String toString() {
      return service + "/" + entitySet + ":" + METHODS.stream().filter(methods::contains)
          .collect(Collectors.joining("+"));
    }
  }

  public boolean permitsFunction(String name) {
    return name != null && functions.contains(name.toUpperCase(Locale.ROOT));
  }

  public boolean isRepeatable(String function) {
    return function != null && repeatableFunctions.contains(function.toUpperCase(Locale.ROOT));
  }

  /** Whether {@code method} on {@code entitySet} of {@code service} is allowed. */
  public boolean permitsResource(String service, String entitySet, String method) {
    return odataResources.stream().anyMatch(r -> r.covers(service, entitySet, method));
  }

  /** Whether any entry names {@code service}: its {@code $metadata} is then readable. */
  public boolean namesService(String service) {
    return odataResources.stream().anyMatch(r -> r.service().equals(service));
  }

  /** The services the entries name. */
  public Set<String> services() {
    return odataResources.stream().map(Resource::service).collect(Collectors.toCollection(TreeSet::new));
  }

  public boolean isEmpty() {
    return functions.isEmpty() && odataResources.isEmpty();
  }

  /** The settings as configuration lines, for the start-up log and {@code ferry agent config show}. */
  public List<String> describe() {
    return List.of(
        "policy.functions=" + (functions.isEmpty() ? "(none)" : String.join(",", new TreeSet<>(functions))),
        "policy.functions.repeatable=" + (repeatableFunctions.isEmpty() ? "(none)"
            : String.join(",", new TreeSet<>(repeatableFunctions))),
        "policy.odata.resources=" + (odataResources.isEmpty() ? "(none)"
            : odataResources.stream().map(Resource::toString).collect(Collectors.joining(","))));
  }

  /**
   * Reads the three settings from their raw values (null when absent), adding a sentence naming the setting and the
   * fix to {@code problems} for every mistake.
   */
  static GenericGrants parse(String rawFunctions, String rawRepeatable, String rawResources, List<String> problems) {
    Set<String> functions = new LinkedHashSet<>();
    for (String f : list(rawFunctions)) {
      String name = f.toUpperCase(Locale.ROOT);
      if (!FUNCTION.matcher(name).matches()) {
        problems.add("policy.functions: '" + f + "' is not a function module name such as RFC_READ_TABLE");
      }
      functions.add(name);
    }
    Set<String> repeatable = new LinkedHashSet<>();
    for (String f : list(rawRepeatable)) {
      String name = f.toUpperCase(Locale.ROOT);
      if (!functions.contains(name)) {
        problems.add("policy.functions.repeatable: '" + f + "' is not in policy.functions; name it there too, or "
            + "remove it here");
      }
      repeatable.add(name);
    }
    List<Resource> resources = new ArrayList<>();
    for (String entry : list(rawResources)) {
      Matcher m = RESOURCE.matcher(entry);
      if (!m.matches() || !SERVICE.matcher(m.group(1)).matches()) {
        problems.add("policy.odata.resources: '" + entry + "' is not SERVICE/EntitySet[:METHODS] such as "
            + "API_BUSINESS_PARTNER/A_BusinessPartner:GET+POST (or SERVICE/* for every entity set)");
        continue;
      }
      Set<String> methods = new LinkedHashSet<>();
      if (m.group(3) == null) {
        methods.add("GET");
      } else {
        for (String method : m.group(3).split("\\+")) {
          String upper = method.toUpperCase(Locale.ROOT);
          if (!METHODS.contains(upper)) {
            problems.add("policy.odata.resources: '" + entry + "' names method '" + method + "'; the methods are "
                + String.join(", ", METHODS) + ", joined with +");
          }
          methods.add(upper);
        }
      }
      resources.add(new Resource(m.group(1), m.group(2), methods));
    }
    return new GenericGrants(functions, repeatable, resources);
  }

  private static List<String> list(String raw) {
    if (raw == null || raw.isBlank()) {
      return List.of();
    }
    return Arrays.stream(raw.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
