package io.ferry.agent.policy;

import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code policy.bapi.functions} and {@code policy.odata.paths} as the backends ask them, just before a
 * function module is fetched or a request is sent.
 *
 * <p>A path is allowed when an entry is a prefix of it segment by segment, the entry's last segment
 * matching the request's either exactly or as an entity key ({@code A_BusinessPartner} covers
 * {@code A_BusinessPartner('17')/to_Customer}). The service document and {@code $metadata} of the
 * configured service are always readable (GET only): they hold no business data, and the CSRF token
 * every change needs is fetched from the service document. An entity set name is looked for under the configured
 * service and under its sibling {@code API_SALES_ORDER_SRV} (where the sales-order backend goes): a name belongs to
 * one of them, and allowing it under the other allows nothing, as that service has no such set.
 */
final class CallAllowlist implements CallPolicy {

  private static final Logger log = LoggerFactory.getLogger(CallAllowlist.class);

  private final Set<String> functions;
  private final GenericGrants generic;
  private final List<List<String>> serviceRoots;
  private final List<List<String>> paths = new ArrayList<>();

  CallAllowlist(AgentPolicy policy, URI odataServiceUrl) {
    this.functions = policy.bapiFunctions();
    this.generic = policy.generic();
    List<String> root = odataServiceUrl == null ? null : segments(odataServiceUrl.getPath());
    if (root == null) {
      this.serviceRoots = List.of();
    } else {
      List<String> sibling = new ArrayList<>(root.subList(0, Math.max(0, root.size() - 1)));
      sibling.add("API_SALES_ORDER_SRV");
      this.serviceRoots = root.equals(sibling) ? List.of(root) : List.of(root, List.copyOf(sibling));
    }
    for (String entry : policy.odataPaths()) {
      if (entry.startsWith("/")) {
        paths.add(segments(entry));
      } else {
        for (List<String> serviceRoot : serviceRoots) {
          List<String> p = new ArrayList<>(serviceRoot);
          p.add(entry);
          paths.add(List.copyOf(p));
        }
      }
    }
  }

  @Override
  public void checkFunction(String functionModule) throws SapException {
    if (functionModule == null || !functions.contains(functionModule.toUpperCase(Locale.ROOT))) {
      log.warn("{} refused to call function module {}: it is not in policy.bapi.functions", AgentPolicy.FUNCTION_FORBIDDEN,
          functionModule);
      throw AgentPolicy.forbidden(AgentPolicy.FUNCTION_FORBIDDEN,
          "function module " + functionModule + " is not in this agent's policy.bapi.functions");
    }
  }

  @Override
  public void checkGenericFunction(String functionModule) throws SapException {
    if (!generic.permitsFunction(functionModule)) {
      log.warn("{} refused function module {} to an engine: it is not in policy.functions",
          AgentPolicy.FUNCTION_FORBIDDEN, functionModule);
      throw AgentPolicy.forbidden(AgentPolicy.FUNCTION_FORBIDDEN,
          "function module " + functionModule + " is not in this agent's policy.functions");
    }
  }

  @Override
  public boolean isRepeatableFunction(String functionModule) {
    return generic.isRepeatable(functionModule);
  }

  @Override
  public boolean allowsFunction(String functionModule) {
    return functionModule != null && functions.contains(functionModule.toUpperCase(Locale.ROOT));
  }

  @Override
  public void checkPath(String method, List<String> pathSegments) throws SapException {
    List<String> path = withoutEmpty(pathSegments);
    if (permits(method, path)) {
      return;
    }
    String shown = "/" + String.join("/", path);
    log.warn("{} refused {} {}: not covered by policy.odata.paths", AgentPolicy.PATH_FORBIDDEN, method, shown);
    throw AgentPolicy.forbidden(AgentPolicy.PATH_FORBIDDEN,
        method + " " + shown + " is not covered by this agent's policy.odata.paths");
  }

  @Override
  public void checkService(String service) throws SapException {
    if (!generic.namesService(service)) {
      log.warn("{} refused to read the metadata of OData service {}: policy.odata.resources names none of its entity sets",
          AgentPolicy.PATH_FORBIDDEN, service);
      throw AgentPolicy.forbidden(AgentPolicy.PATH_FORBIDDEN, "OData service " + service
          + " is not named in this agent's policy.odata.resources");
    }
  }

  @Override
  public void checkResource(String service, String entitySet, String method) throws SapException {
    if (!generic.permitsResource(service, entitySet, method)) {
      log.warn("{} refused {} {}/{}: not covered by policy.odata.resources", AgentPolicy.PATH_FORBIDDEN, method, service,
          entitySet);
      throw AgentPolicy.forbidden(AgentPolicy.PATH_FORBIDDEN, method + " " + service + "/" + entitySet
          + " is not covered by this agent's policy.odata.resources (SERVICE/EntitySet:METHODS)");
    }
  }

  private boolean permits(String method, List<String> path) {
    for (List<String> serviceRoot : "GET".equals(method) ? serviceRoots : List.<List<String>>of()) {
      if (path.equals(serviceRoot)) {
        return true;
      }
      if (path.size() == serviceRoot.size() + 1 && path.subList(0, serviceRoot.size()).equals(serviceRoot)
          && path.get(serviceRoot.size()).equals("$metadata")) {
        return true;
      }
    }
    for (List<String> entry : paths) {
      if (covers(entry, path)) {
        return true;
      }
    }
    return false;
  }

  private static boolean covers(List<String> entry, List<String> path) {
    if (path.size() < entry.size() || entry.isEmpty()) {
      return false;
    }
    int last = entry.size() - 1;
    if (!path.subList(0, last).equals(entry.subList(0, last))) {
      return false;
    }
    String want = entry.get(last);
    String got = path.get(last);
    return got.equals(want) || got.startsWith(want + "(");
  }

  private static List<String> segments(String path) {
    return withoutEmpty(Arrays.asList(path == null ? new String[0] : path.split("/")));
  }

  private static List<String> withoutEmpty(List<String> segments) {
    return segments.stream().filter(s -> !s.isEmpty()).toList();
  }

  @Override
  public String toString() {
    return "CallAllowlist[functions=" + functions + ", paths=" + paths + "]";
  }
}
