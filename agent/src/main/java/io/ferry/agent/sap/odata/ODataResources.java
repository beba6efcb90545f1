package io.ferry.agent.sap.odata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.agent.odata.ODataCall;
import io.ferry.agent.odata.ODataResourcePort;
import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapDiagnosis;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.agent.sap.SapException.Kind;
import io.ferry.protocol.Action;
import io.ferry.protocol.SapMessage;
import io.ferry.protocol.odata.ODataAnswer;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured OData services ({@link ODataServices}) as the generic OData handler reaches them: one
 * {@link ODataClient} per service (CSRF token and session, {@code sap-client}, basic authentication or the client
 * certificate, the timeouts), every request checked against {@code policy.odata.resources} at the call site, every
 * answer's links made relative to the service root ({@link ODataLinks}) and every message naming the service by the
 * agent's name for it — the relay never learns SAP's host.
 *
 * <p>Logs method, service, path and status; never query values, bodies or credentials.
 */
public final class ODataResources implements ODataResourcePort, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ODataResources.class);

  private final ODataServices services;
  private final CallPolicy calls;
  private final Map<String, Service> byName = new LinkedHashMap<>();

  /** @param calls the agent's allowlist; its generic grants decide ({@link CallPolicy#checkResource}) */
  public ODataResources(ODataServices services, CallPolicy calls) {
    this.services = services;
    this.calls = calls;
    for (String name : services.names()) {
      ODataSettings settings = services.settings(name);
      byName.put(name, new Service(name, settings, new ODataClient(settings, new ServiceCalls(name, settings.serviceUrl())),
          new ODataLinks(settings.serviceUrl())));
    }
  }

  /**
   * {@code backend}, also offering these services ({@link ODataResourcePort}) when any is configured: on a
   * {@code bapi} agent as on an {@code odata} one.
   */
  public static SapBackend attach(SapBackend backend, ODataServices services, CallPolicy calls) {
    if (services.isEmpty()) {
      return backend;
    }
    return new WithResources(backend, new ODataResources(services, calls));
  }

  record Service(String name, ODataSettings settings, ODataClient client, ODataLinks links) {}

  /** One configured service, for tests. */
  Service service(String name) {
    return byName.get(name);
  }

  @Override
  public Set<String> services() {
    return services.names();
  }

  @Override
  public void checkResource(String service, String entitySet, String method) throws SapException {
    configured(service);
    calls.checkResource(service, entitySet, method);
  }

  @Override
  public void checkService(String service) throws SapException {
    configured(service);
    calls.checkService(service);
  }

  @Override
  public ODataAnswer send(ODataCall call) throws SapException {
    Service s = configured(call.service());
    HttpUrl.Builder b = s.client().encodedUrl(call.segments());
    for (Map.Entry<String, String> q : call.query()) {
      b.addEncodedQueryParameter(q.getKey(), q.getValue());
    }
    // $count and $value answer text or raw bytes, for which Gateway refuses $format=json.
    String last = call.segments().get(call.segments().size() - 1);
    boolean raw = last.equals("$count") || last.equals("$value");
    if (call.isRead() && !raw) {
      b.addQueryParameter("$format", "json");
    }
    HttpUrl url = b.build();
    ODataClient.Reply r;
    try {
      if (call.isRead()) {
        r = raw ? s.client().get(url, "*/*") : s.client().get(url);
      } else {
        r = s.client().modify(call.method(), url, call.body(), call.ifMatch(), call.describe());
      }
    } catch (IOException e) {
      SapException failure = ODataErrors.io(e, call.describe(), s.settings());
      throw scrub(s, call.isRead() || ODataErrors.neverSent(e) ? failure : outcomeUnknown(failure, call));
    } catch (SapException e) {
      throw scrub(s, e);
    }
    log.debug("OData {} -> {}", call.logged(), r.status());
    if (!r.ok()) {
      throw scrub(s, failure(s, r, call.describe(), !call.isRead()));
    }
    return answer(s, r);
  }

  /**
   * An XML answer (Gateway's EDMX carries {@code atom:link href="https://host/…/$metadata"}) with its links into the
   * service relative to the root, other links on SAP's host as paths, and no trace of the host.
   */
  static String relativeLinks(Service s, String xml) {
    URI url = s.settings().serviceUrl();
    String origin = url.getScheme() + "://" + url.getRawAuthority();
    return xml.replace(url + "/", "").replace(url.toString(), "").replace(origin, "").replace(url.getHost(), "");
  }

  @Override
  public String metadata(String service) throws SapException {
    Service s = configured(service);
    String action = "GET " + service + "/$metadata";
    ODataClient.Reply r;
    try {
      r = s.client().get(s.client().encodedUrl(List.of("$metadata")).build(), "application/xml");
    } catch (IOException e) {
      throw scrub(s, ODataErrors.io(e, action, s.settings()));
    } catch (SapException e) {
      throw scrub(s, e);
    }
    if (!r.ok()) {
      throw scrub(s, failure(s, r, action, false));
    }
    return relativeLinks(s, r.body());
  }

  private Service configured(String service) throws SapException {
    Service s = service == null ? null : byName.get(service);
    if (s == null) {
      throw new SapException(Kind.FORBIDDEN, io.ferry.agent.policy.AgentPolicy.PATH_FORBIDDEN,
          io.ferry.agent.policy.AgentPolicy.FORBIDDEN + ": OData service " + service + " is not configured on this agent "
              + "(sap.odata.services." + service + ".url)", List.of());
    }
    return s;
  }

  /** Gateway's answer as the relay gets it: {@code d} unwrapped, links below the root, {@code __next} apart. */
  private static ODataAnswer answer(Service s, ODataClient.Reply r) throws SapException {
    String etag = r.header("ETag");
    String location = r.header("Location") == null ? null : stripQuery(s.links().below(r.header("Location")));
    String type = r.header("Content-Type");
    if (r.status() == 204 || r.body() == null || r.body().isEmpty()) {
      return new ODataAnswer(r.status(), null, null, null, etag, location, null);
    }
    if (type != null && !type.toLowerCase(Locale.ROOT).contains("json")) {
      String text = type.toLowerCase(Locale.ROOT).contains("xml") ? relativeLinks(s, r.body()) : r.body();
      return new ODataAnswer(r.status(), null, text, type.split(";")[0].strip(), etag, location, null);
    }
    JsonNode root;
    try {
      root = ODataErrors.JSON.readTree(r.body());
    } catch (IOException e) {
      throw scrub(s, ODataErrors.configuration("SAP answered " + s.name() + " with something that is not JSON ("
          + (type == null ? "no content type" : type) + "); check sap.odata.services." + s.name() + ".url and that "
          + "the logon does not redirect to a logon page", List.of()));
    }
    JsonNode d = root.has("d") ? root.get("d") : root;
    if (d.isArray()) {
      ObjectNode wrapped = ODataErrors.JSON.createObjectNode();
      wrapped.set("results", d);
      d = wrapped;
    }
    String next = null;
    if (d instanceof ObjectNode o && o.has("__next")) {
      next = s.links().below(o.get("__next").asText());
      o.remove("__next");
    }
    s.links().rewrite(d);
    return new ODataAnswer(r.status(), d, null, "application/json", etag, location, next);
  }

  private static String stripQuery(String link) {
    int q = link.indexOf('?');
    return q < 0 ? link : link.substring(0, q);
  }

  /**
   * A failed answer: SAP's error JSON as {@code sapMessages}, the status as the kind. A write answered 5xx may have
   * been done (OUTCOME_UNKNOWN).
   */
  static SapException failure(Service s, ODataClient.Reply r, String action, boolean write) {
    List<SapMessage> messages = ODataErrors.fromErrorBody(r.body());
    String sap = messages.isEmpty() ? "" : ": " + ODataErrors.first(messages);
    String where = " (HTTP " + r.status() + " from SAP for " + action + ")";
    String user = s.settings().user() != null ? "user " + s.settings().user() : "the client certificate";
    return switch (r.status()) {
      case 400 -> new SapException(Kind.BUSINESS, SapErrorCodes.BUSINESS, "SAP refused " + action + where + sap,
          messages);
      case 401 -> new SapException(Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION, "SAP refused the logon of " + user
          + where + "; check sap.odata.user and its password (or the client certificate), and whether the user is locked"
          + sap, messages);
      case 403 -> new SapException(Kind.FORBIDDEN, SapErrorCodes.CONFIGURATION, "SAP refused access of " + user
          + " to service " + s.name() + where + "; the user's role for the service is missing in SAP" + sap, messages);
      case 404 -> serviceMissing(messages)
          ? new SapException(Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION, "OData service " + s.name()
              + " is not there" + where + "; check sap.odata.services." + s.name() + ".url and activate the service in "
              + "/IWFND/MAINT_SERVICE" + sap, messages)
          : new SapException(Kind.NOT_FOUND, SapErrorCodes.NOT_FOUND, "SAP found nothing for " + action + where + sap,
              messages);
      case 412 -> new SapException(Kind.BUSINESS, SapErrorCodes.CONFLICT, "the entity was changed in SAP since its "
          + "ETag was read, so SAP refused " + action + where + "; read it again and send its new ETag as If-Match"
          + sap, messages);
      case 408, 429 -> ODataErrors.unavailable("SAP is busy" + where + sap, messages, null);
      default -> {
        if (r.status() >= 500 && r.status() != 501) {
          SapException e = ODataErrors.unavailable("SAP failed" + where + sap, messages, null);
          yield write ? outcomeUnknownOf(e, action) : e;
        }
        yield new SapException(Kind.BUSINESS, SapErrorCodes.BUSINESS, "SAP refused " + action + where + sap, messages);
      }
    };
  }

  private static SapException outcomeUnknown(SapException failure, ODataCall call) {
    return outcomeUnknownOf(failure, call.describe());
  }

  private static SapException outcomeUnknownOf(SapException failure, String action) {
    return new SapException(Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN, failure.getMessage()
        + "; SAP may have done " + action + ": check in SAP before sending it again", failure.sapMessages(), failure);
  }

  /** Gateway's "no service found", or a 404 that is not OData at all (a wrong path in front of SAP). */
  private static boolean serviceMissing(List<SapMessage> messages) {
    return messages.isEmpty() || messages.stream().anyMatch(m -> "/IWFND/MED".equals(m.id()) && "170".equals(m.number()));
  }

  /** The exception with the service's URL and host replaced by its name: messages travel to the relay. */
  private static SapException scrub(Service s, SapException e) {
    String message = scrubText(s, e.getMessage());
    if (message.equals(e.getMessage())) {
      return e;
    }
    return new SapException(e.kind(), e.code(), message, e.sapMessages(), null, e.retryAfter().orElse(null));
  }

  private static String scrubText(Service s, String text) {
    if (text == null) {
      return null;
    }
    URI url = s.settings().serviceUrl();
    String origin = url.getScheme() + "://" + url.getRawAuthority();
    return text.replace(url.toString(), "service " + s.name()).replace(origin, "").replace(url.getHost(), "<SAP host>");
  }

  @Override
  public void close() {
    byName.values().forEach(s -> s.client().close());
  }

  /**
   * The allowlist of one service's client, asked before every request it sends: the service document (the CSRF
   * token fetch) and {@code $metadata} when the policy names the service; an entity set as
   * {@code policy.odata.resources} allows it.
   */
  private final class ServiceCalls implements CallPolicy {
    private final String service;
    private final List<String> root;

    ServiceCalls(String service, URI url) {
      this.service = service;
      this.root = Arrays.stream(url.getPath().split("/")).filter(p -> !p.isEmpty()).toList();
    }

    @Override
    public void checkFunction(String functionModule) throws SapException {
      throw new SapException(Kind.FORBIDDEN, io.ferry.agent.policy.AgentPolicy.FUNCTION_FORBIDDEN,
          io.ferry.agent.policy.AgentPolicy.FORBIDDEN + ": no function module through OData", List.of());
    }

    @Override
    public void checkPath(String method, List<String> pathSegments) throws SapException {
      List<String> path = pathSegments.stream().filter(p -> !p.isEmpty()).toList();
      if (path.size() < root.size() || !path.subList(0, root.size()).equals(root)) {
        throw new SapException(Kind.FORBIDDEN, io.ferry.agent.policy.AgentPolicy.PATH_FORBIDDEN,
            io.ferry.agent.policy.AgentPolicy.FORBIDDEN + ": a request outside service " + service, List.of());
      }
      List<String> below = path.subList(root.size(), path.size());
      if (below.isEmpty() || below.get(0).equals("$metadata")) {
        if (!"GET".equals(method)) {
          calls.checkResource(service, below.isEmpty() ? "" : below.get(0), method);
        }
        calls.checkService(service);
        return;
      }
      String first = below.get(0);
      int paren = first.indexOf('(');
      calls.checkResource(service, paren < 0 ? first : first.substring(0, paren), method);
    }
  }

  /** A backend that also offers the configured OData services. */
  private static final class WithResources implements SapBackend {
    private final SapBackend backend;
    private final ODataResources resources;

    WithResources(SapBackend backend, ODataResources resources) {
      this.backend = backend;
      this.resources = resources;
    }

    @Override
    public String name() {
      return backend.name();
    }

    @Override
    public <P> Optional<P> port(Class<P> type) {
      return type == ODataResourcePort.class ? Optional.of(type.cast(resources)) : backend.port(type);
    }

    @Override
    public SapDiagnosis diagnose() {
      return withServices(backend.diagnose());
    }

    @Override
    public SapDiagnosis diagnose(Set<Action> actions) {
      return withServices(backend.diagnose(actions));
    }

    /** The backend's checks, then one per configured service: its {@code $metadata} is read. Never throws. */
    private SapDiagnosis withServices(SapDiagnosis d) {
      List<SapDiagnosis.Check> checks = new java.util.ArrayList<>(d.checks());
      for (String name : resources.services()) {
        String check = "OData service " + name + " ($metadata)";
        try {
          resources.metadata(name);
          checks.add(SapDiagnosis.Check.passed(check));
        } catch (SapException | RuntimeException e) {
          checks.add(SapDiagnosis.Check.failed(check, e.getMessage(), "check sap.odata.services." + name + ".url, the "
              + "logon of sap.odata.user (or the client certificate), and that the service is active in "
              + "/IWFND/MAINT_SERVICE and granted to the user's role"));
        }
      }
      return new SapDiagnosis(d.backend(), d.target(), checks);
    }

    @Override
    public void close() {
      try {
        backend.close();
      } finally {
        resources.close();
      }
    }

    @Override
    public String toString() {
      return backend + " with OData services " + resources.services();
    }
  }
}
