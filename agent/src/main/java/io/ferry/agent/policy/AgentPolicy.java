package io.ferry.agent.policy;

import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapLayer;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.bapi.BapiBackend;
import io.ferry.agent.sap.odata.ODataBackend;
import io.ferry.protocol.Action;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The agent's on-prem allowlist: what this agent runs against SAP, whatever the relay asks. It belongs
 * to the SAP administrator; in the agent's configuration file these are the {@code policy.*} keys:
 *
 * <pre>
 * policy.actions=customer.read,customer.search          (default: every customer action; sales orders only when named)
 * policy.bapi.functions=BAPI_CUSTOMER_GETDETAIL2,...    (default: the function modules the BAPI backend calls)
 * policy.odata.paths=A_BusinessPartner,...              (default: the entity sets the OData backend uses)
 * policy.sales-organizations=1000,1010                  (default: any)
 * policy.company-codes=1000                             (default: any)
 * policy.functions, policy.functions.repeatable, policy.odata.resources  (default: none; see {@link GenericGrants})
 * </pre>
 *
 * Three places enforce it: the {@link JobGate} refuses a job whose action, sales organisation or company
 * code is not allowed before SAP is called; {@link #calls(URI)} is asked by the backends before each function
 * module or OData request; {@link #guard()} keeps customers of other sales organisations out of
 * reads, searches and changes. A refusal reaches the engine as a 403 problem "forbidden by agent policy"
 * with one of the codes below.
 *
 * @param actions the actions the agent runs
 * @param bapiFunctions the function modules the BAPI backend may call (upper case)
 * @param odataPaths what the OData backend may address: entity sets of the configured service
 *     ({@code A_BusinessPartner}, which covers its keyed entities and their navigation properties), or
 *     absolute paths on the SAP server ({@code /sap/opu/odata/sap/API_BUSINESS_PARTNER}, which covers
 *     everything below it)
 * @param salesOrganizations the sales organisations jobs may create, read, change or find customers in;
 *     empty for any
 * @param companyCodes the company codes jobs may name; empty for any
 * @param generic the function modules and OData resources engines may reach generically (none by default)
 */
public record AgentPolicy(
    Set<Action> actions,
    Set<String> bapiFunctions,
    List<String> odataPaths,
    Set<String> salesOrganizations,
    Set<String> companyCodes,
    GenericGrants generic) {

  /**
   * The actions an agent runs when {@code policy.actions} is not set: the customer actions, and the generic ones —
   * which reach nothing until {@code policy.functions} or {@code policy.odata.resources} names something.
   */
  public static final Set<Action> DEFAULT_ACTIONS = defaultActions();

  /** The action is not in {@code policy.actions}. */
  public static final String ACTION_FORBIDDEN = "FERRY-AGENT-0301";
  /** The sales organisation is not in {@code policy.sales-organizations}. */
  public static final String SALES_ORGANIZATION_FORBIDDEN = "FERRY-AGENT-0302";
  /** The company code is not in {@code policy.company-codes}. */
  public static final String COMPANY_CODE_FORBIDDEN = "FERRY-AGENT-0303";
  /** The function module is not in {@code policy.bapi.functions}. */
  public static final String FUNCTION_FORBIDDEN = CallPolicy.FUNCTION_FORBIDDEN;
  /** The OData resource is not covered by {@code policy.odata.paths}. */
  public static final String PATH_FORBIDDEN = CallPolicy.PATH_FORBIDDEN;

  /** What every refusal's message starts with: the engine sees it as the problem's detail. */
  public static final String FORBIDDEN = CallPolicy.FORBIDDEN;

  /** The policy settings, without the {@code policy.} prefix. */
  public static final List<String> KEYS = List.of("actions", "bapi.functions", "odata.paths", "sales-organizations",
      "company-codes", "functions", "functions.repeatable", "odata.resources");
  private static final Pattern FUNCTION = Pattern.compile("[A-Z0-9_/]{1,30}");
  private static final Pattern ENTITY_SET = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_$.~;=,-]+");
  private static final Pattern ORG_KEY = Pattern.compile("[A-Z0-9]{1,4}");

  public AgentPolicy {
    List<String> problems = new ArrayList<>();
    if (actions == null || actions.isEmpty()) {
      problems.add("policy.actions must name at least one action (" + allActions() + "); to stop all work, stop the agent");
      actions = Set.of();
    } else {
      actions = Set.copyOf(EnumSet.copyOf(actions));
    }
    bapiFunctions = normalized(bapiFunctions == null ? null : upper(bapiFunctions), problems, "policy.bapi.functions",
        FUNCTION, "a function module name such as BAPI_CUSTOMER_GETDETAIL2", false);
    odataPaths = checkPaths(odataPaths, problems);
    salesOrganizations = normalized(salesOrganizations == null ? Set.of() : upper(salesOrganizations), problems,
        "policy.sales-organizations", ORG_KEY, "a sales organisation of up to four letters or digits such as 1000", true);
    companyCodes = normalized(companyCodes == null ? Set.of() : upper(companyCodes), problems, "policy.company-codes",
        ORG_KEY, "a company code of up to four letters or digits such as 1000", true);
    generic = generic == null ? GenericGrants.NONE : generic;
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** A policy without generic grants. */
  public AgentPolicy(Set<Action> actions, Set<String> bapiFunctions, List<String> odataPaths,
      Set<String> salesOrganizations, Set<String> companyCodes) {
    this(actions, bapiFunctions, odataPaths, salesOrganizations, companyCodes, GenericGrants.NONE);
  }

  private static Set<Action> defaultActions() {
    Set<Action> actions = EnumSet.copyOf(io.ferry.agent.sap.SapBackend.CUSTOMER_ACTIONS);
    for (Action a : Action.values()) {
      if (a.isGeneric()) {
        actions.add(a);
      }
    }
    return Set.copyOf(actions);
  }

  /**
   * Every customer action, the function modules and entity sets Ferry's backends need, any sales
   * organisation and company code: the SAP user's own authorizations are then the only limit. An
   * administrator narrows it with the {@code policy.*} settings. Sales orders (and every business object after
   * customers) are not in the default: an agent runs them only once its administrator names them in
   * {@code policy.actions}, so that a new version of the agent never starts writing something new to SAP unasked.
   */
  public static AgentPolicy defaults() {
    return new AgentPolicy(DEFAULT_ACTIONS, Set.copyOf(BapiBackend.FUNCTIONS), ODataBackend.ENTITY_SETS,
        Set.of(), Set.of());
  }

  /**
   * Reads the {@code policy.} section of the configuration (keys without the prefix); a key that is not
   * a policy setting is refused, so a typo cannot silently leave the default in force.
   */
  public static AgentPolicy fromSection(Map<String, String> section) {
    List<String> problems = new ArrayList<>();
    for (String key : new TreeSet<>(section.keySet())) {
      if (!KEYS.contains(key)) {
        problems.add("policy." + key + " is not a setting; the policy settings are "
            + KEYS.stream().map(k -> "policy." + k).collect(Collectors.joining(", ")));
      }
    }
    AgentPolicy d = defaults();
    Set<Action> actions = d.actions();
    String rawActions = section.get("actions");
    if (rawActions != null) {
      actions = EnumSet.noneOf(Action.class);
      for (String name : list(rawActions)) {
        try {
          actions.add(Action.fromWireName(name.toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          problems.add("policy.actions: '" + name + "' is not an action; the actions are " + allActions());
        }
      }
    }
    GenericGrants generic = GenericGrants.parse(section.get("functions"), section.get("functions.repeatable"),
        section.get("odata.resources"), problems);
    AgentPolicy policy = null;
    try {
      policy = new AgentPolicy(actions,
          section.containsKey("bapi.functions") ? new LinkedHashSet<>(list(section.get("bapi.functions"))) : d.bapiFunctions(),
          section.containsKey("odata.paths") ? list(section.get("odata.paths")) : d.odataPaths(),
          new LinkedHashSet<>(list(section.get("sales-organizations"))),
          new LinkedHashSet<>(list(section.get("company-codes"))), generic);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return policy;
  }

  public AgentPolicy withActions(Action... allowed) {
    return new AgentPolicy(Set.of(allowed), bapiFunctions, odataPaths, salesOrganizations, companyCodes, generic);
  }

  public AgentPolicy withBapiFunctions(String... allowed) {
    return new AgentPolicy(actions, Set.of(allowed), odataPaths, salesOrganizations, companyCodes, generic);
  }

  public AgentPolicy withODataPaths(String... allowed) {
    return new AgentPolicy(actions, bapiFunctions, List.of(allowed), salesOrganizations, companyCodes, generic);
  }

  public AgentPolicy withSalesOrganizations(String... allowed) {
    return new AgentPolicy(actions, bapiFunctions, odataPaths, Set.of(allowed), companyCodes, generic);
  }

  public AgentPolicy withCompanyCodes(String... allowed) {
    return new AgentPolicy(actions, bapiFunctions, odataPaths, salesOrganizations, Set.of(allowed), generic);
  }

  /** The same policy with these generic grants. */
  public AgentPolicy withGeneric(GenericGrants grants) {
    return new AgentPolicy(actions, bapiFunctions, odataPaths, salesOrganizations, companyCodes, grants);
  }

  public boolean permits(Action action) {
    return actions.contains(action);
  }

  /** True when {@code salesOrganization} is allowed (any is, when the setting is empty). */
  public boolean permitsSalesOrganization(String salesOrganization) {
    return salesOrganizations.isEmpty()
        || salesOrganization != null && salesOrganizations.contains(salesOrganization.strip().toUpperCase(Locale.ROOT));
  }

  /** True when {@code companyCode} is allowed (any is, when the setting is empty). */
  public boolean permitsCompanyCode(String companyCode) {
    return companyCodes.isEmpty()
        || companyCode != null && companyCodes.contains(companyCode.strip().toUpperCase(Locale.ROOT));
  }

  /**
   * What the backends may call: the function modules, and the OData paths with entity sets resolved
   * against {@code odataServiceUrl} (null for the BAPI backend).
   */
  public CallPolicy calls(URI odataServiceUrl) {
    return new CallAllowlist(this, odataServiceUrl);
  }

  /**
   * The layer that keeps objects outside {@code policy.sales-organizations} from being returned or changed; null
   * (no layer) without that setting.
   */
  public SapLayer guard() {
    return salesOrganizations.isEmpty() ? null : new SalesOrganizationGuard(this);
  }

  /** The effective policy as configuration lines, for the start-up log and {@code ferry agent config show}. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>(List.of(
        "policy.actions=" + actions.stream().sorted().map(Action::wireName).collect(Collectors.joining(",")),
        "policy.bapi.functions=" + String.join(",", new TreeSet<>(bapiFunctions)),
        "policy.odata.paths=" + String.join(",", odataPaths),
        "policy.sales-organizations=" + (salesOrganizations.isEmpty() ? "(any)" : String.join(",", new TreeSet<>(salesOrganizations))),
        "policy.company-codes=" + (companyCodes.isEmpty() ? "(any)" : String.join(",", new TreeSet<>(companyCodes)))));
    lines.addAll(generic.describe());
    return List.copyOf(lines);
  }

  /** A refusal as the backends and the gate report it: never retried, nothing sent to SAP. */
  static SapException forbidden(String code, String reason) {
    return new SapException(SapException.Kind.FORBIDDEN, code, FORBIDDEN + ": " + reason, List.of());
  }

  private static String allActions() {
    return Arrays.stream(Action.values()).map(Action::wireName).collect(Collectors.joining(", "));
  }

  private static List<String> list(String raw) {
    if (raw == null || raw.isBlank()) {
      return List.of();
    }
    return Arrays.stream(raw.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static Set<String> upper(Collection<String> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : values) {
      out.add(v == null ? null : v.strip().toUpperCase(Locale.ROOT));
    }
    return out;
  }

  private static Set<String> normalized(Set<String> values, List<String> problems, String setting, Pattern valid,
      String what, boolean mayBeEmpty) {
    if (values == null || values.isEmpty() && !mayBeEmpty) {
      problems.add(setting + " must name at least one entry (" + what + "); leave it out for the default");
      return Set.of();
    }
    for (String v : values) {
      if (v == null || !valid.matcher(v).matches()) {
        problems.add(setting + ": '" + v + "' is not " + what);
      }
    }
    return Set.copyOf(values.stream().filter(v -> v != null).toList());
  }

  private static List<String> checkPaths(List<String> paths, List<String> problems) {
    if (paths == null || paths.isEmpty()) {
      problems.add("policy.odata.paths must name at least one entity set (such as A_BusinessPartner) or service path "
          + "(such as /sap/opu/odata/sap/API_BUSINESS_PARTNER); leave it out for the default");
      return List.of();
    }
    for (String p : paths) {
      if (p == null || !(ENTITY_SET.matcher(p).matches() || absolutePath(p))) {
        problems.add("policy.odata.paths: '" + p + "' is neither an entity set name such as A_BusinessPartner nor an "
            + "absolute path such as /sap/opu/odata/sap/API_BUSINESS_PARTNER (no keys, queries or ..)");
      }
    }
    return List.copyOf(new LinkedHashSet<>(paths.stream().filter(p -> p != null).toList()));
  }

  private static boolean absolutePath(String p) {
    String path = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    if (!path.startsWith("/") || path.length() < 2) {
      return false;
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.equals("..") || segment.equals(".") || !PATH_SEGMENT.matcher(segment).matches()) {
        return false;
      }
    }
    return true;
  }
}
