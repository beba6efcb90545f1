package io.ferry.agent.odata;

import io.ferry.agent.handler.JobHandler;
import io.ferry.agent.handler.JobRefused;
import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.SapBackend;
import io.ferry.agent.sap.SapCall;
import io.ferry.agent.sap.SapCalls;
import io.ferry.agent.sap.SapErrorCodes;
import io.ferry.agent.sap.SapException;
import io.ferry.protocol.Action;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.odata.ODataAnswer;
import io.ferry.protocol.odata.ODataRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs generic OData jobs ({@code odata.read}, {@code odata.write}) on the configured services
 * ({@link ODataResourcePort}), whatever the relay asked only as the agent's policy allows: the service configured,
 * the entity set and method in {@code policy.odata.resources}, the path inside the service, the query only OData's
 * system query options. A refused job sends nothing to SAP.
 *
 * <p>Exactly once: a read may run again; a write is never sent twice. A write whose answer was lost, or that was
 * delivered again after an attempt that may have reached SAP, ends OUTCOME_UNKNOWN — a generic POST has nothing to
 * look it up by, so the engine must check SAP first.
 */
public final class ODataJobs implements JobHandler {

  private static final Logger log = LoggerFactory.getLogger(ODataJobs.class);
  private static final Set<Action> ACTIONS = Set.of(Action.ODATA_READ, Action.ODATA_WRITE);
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "MERGE", "DELETE");
  /** How long a service's parsed {@code $metadata} serves schemas before it is read again. */
  static final Duration METADATA_TTL = Duration.ofMinutes(10);

  private final ODataResourcePort port;
  private final SapCalls sap;
  private final MetadataCache metadata;

  public ODataJobs(SapBackend backend, SapCalls sap) {
    this(backend, sap, Clock.systemUTC());
  }

  ODataJobs(SapBackend backend, SapCalls sap, Clock clock) {
    this.port = backend.port(ODataResourcePort.class).orElse(null);
    this.sap = sap;
    this.metadata = port == null ? null : new MetadataCache(port, clock, METADATA_TTL);
  }

  @Override
  public Set<Action> actions() {
    return ACTIONS;
  }

  @Override
  public JobResult run(JobEnvelope job, boolean again) throws SapException, JobRefused {
    ODataRequest r = payload(job);
    String method = r.method() == null ? "GET" : r.method().strip().toUpperCase(Locale.ROOT);
    boolean write = WRITES.contains(method);
    if (!write && !"GET".equals(method)) {
      throw JobRefused.invalid("the OData method '" + r.method() + "' is not supported; GET, POST, PUT, PATCH, MERGE "
          + "and DELETE are");
    }
    if (write != (job.action() == Action.ODATA_WRITE)) {
      throw JobRefused.invalid(job.action().wireName() + " does not send " + method + ": GET is odata.read, "
          + "POST, PUT, PATCH, MERGE and DELETE are odata.write");
    }
    if (r.service() == null || r.service().isBlank()) {
      throw JobRefused.invalid("an OData request names its service (service), such as API_BUSINESS_PARTNER");
    }
    String service = r.service().strip();
    List<String> segments = ODataPaths.segments(r.path());
    if (port == null) {
      throw new SapException(SapException.Kind.FORBIDDEN, CallPolicy.PATH_FORBIDDEN, CallPolicy.FORBIDDEN
          + ": no OData service is configured on this agent (sap.odata.services.<name>.url), so " + service
          + " cannot be reached", List.of());
    }
    if (ODataPaths.isMetadata(segments)) {
      if (write || r.wantsSchema()) {
        throw JobRefused.invalid("$metadata is only read (GET), and has no schema of its own");
      }
      port.checkService(service);
      String edmx = sap.run(SapCall.repeatable("odata.metadata", "the metadata of " + service,
          () -> port.metadata(service)));
      return produced(job, new ODataAnswer(200, null, edmx, "application/xml", null, null, null));
    }
    String entitySet = ODataPaths.entitySet(segments);
    if (r.wantsSchema()) {
      if (write || segments.size() != 1 || !entitySet.equals(segments.get(0))) {
        throw JobRefused.invalid("a schema is read (GET) for an entity set, named alone as the path (such as "
            + "A_BusinessPartner), was '" + r.path() + "'");
      }
      port.checkResource(service, entitySet, "GET");
      return produced(job, schema(service, entitySet));
    }
    List<Map.Entry<String, String>> query = ODataQuery.parse(r.query());
    if (write && !query.isEmpty()) {
      throw JobRefused.invalid("an OData " + method + " takes no query options (" + query.get(0).getKey() + ")");
    }
    if (write && (r.body() == null || r.body().isNull()) && !"DELETE".equals(method)) {
      throw JobRefused.invalid("an OData " + method + " carries its entity as the body");
    }
    port.checkResource(service, entitySet, method);
    ODataCall call = new ODataCall(service, method, segments, query,
        write && r.body() != null && !r.body().isNull() ? r.body().toString() : null, blankToNull(r.ifMatch()));
    if (!write) {
      return produced(job, sap.run(SapCall.repeatable("odata.read", call.logged(), () -> port.send(call))));
    }
    if (again) {
      // The job ran before, or was delivered before: the write may have reached SAP, and a generic write has nothing
      // to look it up by. Sending it again could create a second entity.
      log.warn("FERRY-AGENT-0142 job {} attempt {}: {} was delivered again after an attempt that may have reached SAP; "
          + "not sending it again", job.jobId(), job.attempt(), call.logged());
      throw new SapException(SapException.Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN, "the outcome of "
          + call.describe() + " is unknown: job " + job.jobId() + " was delivered again (attempt " + job.attempt()
          + ") after an attempt that may have reached SAP, and a generic OData write is never sent twice; check in "
          + "SAP whether it was done before sending the request again", List.of());
    }
    try {
      return produced(job, sap.run(SapCall.create("odata.write", "what " + call.logged() + " asked for",
          () -> port.send(call), null, "a generic OData write has no reference to look it up by")));
    } catch (SapException e) {
      if (SapErrorCodes.CONFLICT.equals(e.code())) {
        throw JobRefused.preconditionFailed(e.getMessage());
      }
      throw e;
    }
  }

  private ODataAnswer schema(String service, String entitySet) throws SapException, JobRefused {
    EntitySchemas schemas = sap.run(SapCall.repeatable("odata.metadata", "the metadata of " + service,
        () -> metadata.of(service)));
    return new ODataAnswer(200, schemas.schema(service, entitySet).orElseThrow(() -> JobRefused.invalid(
        "service " + service + " has no entity set " + entitySet + " in its $metadata")),
        null, "application/schema+json", null, null, null);
  }

  private static ODataRequest payload(JobEnvelope job) throws JobRefused {
    if (job.payload() == null) {
      throw JobRefused.invalid("job " + job.jobId() + " of " + job.action().wireName() + " carries no payload");
    }
    try {
      return Protocol.json().treeToValue(job.payload(), ODataRequest.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      throw JobRefused.invalid("the payload of job " + job.jobId() + " is not an ODataRequest: " + e.getMessage());
    }
  }

  private static JobResult produced(JobEnvelope job, ODataAnswer answer) {
    return JobResult.produced(job, Protocol.json().valueToTree(answer));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  @Override
  public String toString() {
    return "generic OData on " + (port == null ? "no service" : port.services());
  }
}
