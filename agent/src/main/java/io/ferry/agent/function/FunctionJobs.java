package io.ferry.agent.function;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.ferry.protocol.function.FunctionAnswer;
import io.ferry.protocol.function.FunctionCall;
import io.ferry.protocol.function.FunctionDescribe;
import io.ferry.protocol.function.FunctionInterface;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runs {@code function.describe} and {@code function.call} on the backend's {@link FunctionPort}. The agent's own
 * {@code policy.functions} decides what may be reached, whatever the relay asked, before anything is sent to SAP.
 *
 * <p>A call cannot be looked up afterwards, so it is made at most once unless {@code policy.functions.repeatable}
 * names the function: a job delivered again (or one this agent started before it stopped) ends OUTCOME_UNKNOWN without
 * calling SAP, and a call whose answer was lost is not sent again (a {@link SapCall#create} without a look-up). A repeatable function is
 * called again in both cases ({@link SapCall#repeatable}).
 */
public final class FunctionJobs implements JobHandler {

  private static final Set<Action> ACTIONS = Set.of(Action.FUNCTION_DESCRIBE, Action.FUNCTION_CALL);
  private static final Pattern NAME = Pattern.compile("[A-Z0-9_/]{1,30}");
  private static final Set<String> CALL_MEMBERS = Set.of("function", "importing", "changing", "tables", "commit");

  private final String backendName;
  private final FunctionPort port;
  private final SapCalls sap;
  private final CallPolicy grants;
  private final Supplier<String> fingerprint;

  /**
   * @param sap the layers every call passes (retries, breaker, metering)
   * @param grants the agent's policy as the backends ask it: which functions engines may call, which may run again
   * @param fingerprint the agent's catalog fingerprint, which a describe's answer carries (null: none)
   */
  public FunctionJobs(SapBackend backend, SapCalls sap, CallPolicy grants, Supplier<String> fingerprint) {
    this.backendName = backend.name();
    this.port = backend.port(FunctionPort.class).orElse(null);
    this.sap = sap;
    this.grants = grants;
    this.fingerprint = fingerprint;
  }

  @Override
  public Set<Action> actions() {
    return ACTIONS;
  }

  @Override
  public JobResult run(JobEnvelope job, boolean again) throws SapException, JobRefused {
    return switch (job.action()) {
      case FUNCTION_DESCRIBE -> describe(job);
      case FUNCTION_CALL -> call(job, again);
      default -> throw JobRefused.invalid("function jobs do not include " + job.action().wireName());
    };
  }

  private JobResult describe(JobEnvelope job) throws SapException, JobRefused {
    FunctionDescribe describe = payload(job, FunctionDescribe.class);
    String name = name(describe.function());
    allowed(name);
    FunctionPort functions = port();
    FunctionInterface found = sap.run(SapCall.repeatable("describe", subject(name), () -> functions.describe(name)));
    FunctionInterface answer = new FunctionInterface(found.function(), found.description(), found.request(),
        found.response(), found.exceptions(), grants.isRepeatableFunction(name), fingerprint.get());
    return JobResult.produced(job, Protocol.json().valueToTree(answer));
  }

  private JobResult call(JobEnvelope job, boolean again) throws SapException, JobRefused {
    checkMembers(job);
    FunctionCall call = payload(job, FunctionCall.class);
    String name = name(call.function());
    allowed(name);
    FunctionPort functions = port();
    boolean repeatable = grants.isRepeatableFunction(name);
    if (again && !repeatable) {
      // An earlier attempt may have called the function; nothing in SAP says whether it did.
      throw new SapException(SapException.Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN, "the outcome of "
          + "calling " + name + " is unknown: job " + job.jobId() + " was delivered again (attempt " + job.attempt()
          + ") after an earlier attempt that may have called it, and it was not repeated because "
          + "policy.functions.repeatable does not name " + name + "; check in SAP whether the call took effect "
          + "before sending it again", List.of());
    }
    FunctionCall normalized = new FunctionCall(name, call.importing(), call.changing(), call.tables(), call.commit());
    FunctionPort.Prepared prepared = sap.run(SapCall.repeatable("prepare", subject(name),
        () -> functions.prepare(normalized)));
    if (!prepared.problems().isEmpty()) {
      throw JobRefused.invalid("the call of " + name + " does not fit its interface in SAP: "
          + String.join("; ", prepared.problems()));
    }
    FunctionAnswer answer;
    try {
      answer = sap.run(repeatable ? SapCall.repeatable("call", subject(name), prepared::run)
          : SapCall.create("call", subject(name), prepared::run, null, "a function call has no reference to look "
              + "it up by"));
    } catch (SapException e) {
      if (e.kind() != SapException.Kind.OUTCOME_UNKNOWN) {
        throw e;
      }
      if (repeatable) {
        throw new SapException(SapException.Kind.UNAVAILABLE, SapErrorCodes.UNAVAILABLE, e.getMessage() + "; "
            + name + " is repeatable (policy.functions.repeatable), so the call may be sent again", e.sapMessages(),
            e);
      }
      throw new SapException(SapException.Kind.OUTCOME_UNKNOWN, SapErrorCodes.OUTCOME_UNKNOWN, e.getMessage()
          + "; it was not repeated because policy.functions.repeatable does not name " + name + "; check in SAP "
          + "whether the call took effect before sending it again", e.sapMessages(), e);
    }
    return JobResult.produced(job, Protocol.json().valueToTree(answer));
  }

  /** {@code policy.functions}, asked on the agent whatever the relay let through. */
  private void allowed(String name) throws SapException {
    grants.checkGenericFunction(name);
  }

  private FunctionPort port() throws SapException {
    if (port == null) {
      throw new SapException(SapException.Kind.CONFIGURATION, SapErrorCodes.CONFIGURATION, "the " + backendName
          + " backend calls no function modules; function.describe and function.call need an agent with "
          + "sap.backend=bapi (an OData agent reaches SAP through policy.odata.resources)", List.of());
    }
    return port;
  }

  /** The payload's members are the call's, and each of the right kind: a misspelt one is refused, not dropped. */
  private static void checkMembers(JobEnvelope job) throws JobRefused {
    JsonNode payload = job.payload();
    if (payload == null || !payload.isObject()) {
      throw JobRefused.invalid("job " + job.jobId() + " of function.call carries no call");
    }
    for (Iterator<String> it = payload.fieldNames(); it.hasNext(); ) {
      String member = it.next();
      if (!CALL_MEMBERS.contains(member)) {
        throw JobRefused.invalid(member + ": a call has no member " + member + " (it has importing, changing, "
            + "tables and commit)");
      }
    }
    for (String member : List.of("importing", "changing", "tables")) {
      JsonNode v = payload.get(member);
      if (v != null && !v.isNull() && !v.isObject()) {
        throw JobRefused.invalid(member + ": expected an object of parameters by name");
      }
    }
    JsonNode commit = payload.get("commit");
    if (commit != null && !commit.isNull() && !commit.isBoolean()) {
      throw JobRefused.invalid("commit: expected true or false");
    }
  }

  private static String name(String function) throws JobRefused {
    String name = function == null ? "" : function.strip().toUpperCase(Locale.ROOT);
    if (!NAME.matcher(name).matches()) {
      throw JobRefused.invalid("function: expected a function module name such as RFC_READ_TABLE");
    }
    return name;
  }

  private static String subject(String name) {
    return "function module " + name;
  }

  private static <T> T payload(JobEnvelope job, Class<T> type) throws JobRefused {
    if (job.payload() == null) {
      throw JobRefused.invalid("job " + job.jobId() + " of " + job.action().wireName() + " carries no payload");
    }
    try {
      return Protocol.json().treeToValue(job.payload(), type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      throw JobRefused.invalid("the payload of job " + job.jobId() + " is not a " + type.getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "function modules on " + backendName;
  }
}
