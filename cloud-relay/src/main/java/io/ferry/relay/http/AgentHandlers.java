package io.ferry.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.Action;
import io.ferry.protocol.AgentKeyChange;
import io.ferry.protocol.AgentToken;
import io.ferry.protocol.EnrollRequest;
import io.ferry.protocol.EnrollResponse;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.LeaseRenewal;
import io.ferry.protocol.PollRequest;
import io.ferry.protocol.PollResponse;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.ResultBatch;
import io.ferry.protocol.ResultReceipts;
import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.audit.AuditLog;
import io.ferry.relay.auth.AgentIdentity;
import io.ferry.relay.auth.Enrollment;
import io.ferry.relay.dispatch.AgentPresence;
import io.ferry.relay.dispatch.Dispatcher;
import io.ferry.relay.dispatch.JobOutput;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.JobStore;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent API of {@link Protocol}: enroll, poll, renew a lease, post a result. */
final class AgentHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(AgentHandlers.class);
  private static final ObjectMapper JSON = Protocol.json();
  /** Caps one poll's answer whatever the agent asks, so one answer stays small. */
  static final int MAX_JOBS_PER_POLL = 50;
  /** This relay answers agents of its own protocol version and the previous one. */
  private static final int OLDEST_VERSION = Math.max(1, Protocol.VERSION - 1);

  private final Enrollment enrollment;
  private final Dispatcher dispatcher;
  private final AgentPresence presence;
  private final Bodies bodies;
  private final SlotsPerKey pollLimits;
  private final SlotsPerKey unauthenticated;
  private final AuditLog audit;

  private final io.ferry.relay.catalog.CatalogCache catalogs;

  AgentHandlers(RelayConfig config, Enrollment enrollment, Dispatcher dispatcher,
      AgentPresence presence, AuditLog audit, io.ferry.relay.catalog.CatalogCache catalogs) {
    this.catalogs = catalogs;
    this.audit = audit;
    this.enrollment = enrollment;
    this.dispatcher = dispatcher;
    this.presence = presence;
    this.bodies = new Bodies(config.maxBodyBytes(), config.limits().maxJsonDepth(), config.limits().bodyTimeout());
    this.pollLimits = new SlotsPerKey(config.limits().maxPollsPerAgent());
    this.unauthenticated = new SlotsPerKey(config.limits().maxUnauthenticatedPerAddress());
  }

  int pollsInProgress(String agentId) {
    return pollLimits.inProgress(agentId);
  }

  int unauthenticatedInProgress(String address) {
    return unauthenticated.inProgress(address);
  }

  /**
   * {@code POST /agent/v1/enroll}: no credentials but the one-time token in the body, so the request is
   * counted against relay.max-unauthenticated-per-address until it is answered.
   */
  void enroll(Context ctx) {
    String address = ctx.req().getRemoteAddr();
    if (!unauthenticated.tryAcquire(address)) {
      throw new ProblemException(ProblemType.TOO_MANY_UNAUTHENTICATED, "this address already has "
          + unauthenticated.max() + " requests without credentials in progress (relay.max-unauthenticated-per-address); "
          + "finish those first")
          .header(Problems.RETRY_AFTER, "1")
          .header("Connection", "close");
    }
    try {
      enrollCounted(ctx);
    } finally {
      unauthenticated.release(address);
    }
  }

  private void enrollCounted(Context ctx) {
    EnrollRequest request = bodies.agentMessage(ctx, EnrollRequest.class);
    checkVersion(request.protocolVersion());
    checkPublicKey(request.publicKey(), false);
    EnrollResponse enrolled = enrollment.enroll(request).orElseThrow(() -> new ProblemException(
        ProblemType.INVALID_ENROLLMENT_TOKEN,
        "the enrollment token is unknown, expired or already used; ask the operator for a new one")
        .header("WWW-Authenticate", "Bearer realm=\"ferry-agent\", error=\"invalid_token\""));
    LOG.info("agent {} ('{}' on {}) enrolled in tenant {} group {}", enrolled.agentId(), request.agentName(),
        request.hostname(), enrolled.tenantId(), enrolled.agentGroup());
    audit.record(enrolled.tenantId(), enrolled.agentId(), "agent.enroll", enrolled.agentId(), "SUCCEEDED",
        "group " + enrolled.agentGroup() + ", host " + request.hostname()
            + (request.publicKey() == null ? ", bearer key (deprecated)" : ", key pair"));
    Answer.json(200, enrolled).send(ctx);
  }

  /**
   * {@code POST /agent/v1/poll}: jobs now, or held until one is queued or the hold ends. Counted against
   * relay.max-polls-per-agent from here until it is answered.
   */
  void poll(Context ctx) {
    AgentIdentity agent = Guard.agent(ctx);
    acquirePollSlot(agent);
    CompletableFuture<PollResponse> answered;
    try {
      answered = pollInSlot(agent, bodies.agentMessage(ctx, PollRequest.class));
    } catch (RuntimeException e) {
      pollLimits.release(agent.agentId());
      throw e;
    }
    Async.answer(ctx, answered.thenApply(response -> Answer.json(200, response)));
  }

  /** Counts a poll against relay.max-polls-per-agent; 429 when the agent has as many in progress. */
  void acquirePollSlot(AgentIdentity agent) {
    if (!pollLimits.tryAcquire(agent.agentId())) {
      throw new ProblemException(ProblemType.TOO_MANY_POLLS, "this agent already has " + pollLimits.max()
          + " polls in progress (relay.max-polls-per-agent); poll once at a time")
          .header(Problems.RETRY_AFTER, "1");
    }
  }

  /**
   * A poll whose slot {@link #acquirePollSlot} took: its jobs now, or held until one is queued or the hold ends;
   * the slot is given back when it is answered. A {@link ProblemException} (thrown, slot not given back: the
   * caller's) says why the poll is refused.
   */
  CompletableFuture<PollResponse> pollInSlot(AgentIdentity agent, PollRequest request) {
    return pollInSlot(agent, request, null);
  }

  /**
   * As {@link #pollInSlot(AgentIdentity, PollRequest)}, held at most {@code longest} (null: the relay's
   * relay.poll-hold).
   */
  CompletableFuture<PollResponse> pollInSlot(AgentIdentity agent, PollRequest request, Duration longest) {
    checkVersion(request.protocolVersion());
    if (request.maxJobs() < 1) {
      throw new ProblemException(ProblemType.INVALID_AGENT_MESSAGE,
          "maxJobs must be at least 1 (the agent's free capacity), was " + request.maxJobs());
    }
    if (!dispatcher.isStopped(request.runId())) { // a late poll of a stopped run does not bring the agent back
      presence.seen(agent, request.agentVersion(), request.backend(), Math.max(0, request.inFlight()));
      // The group's cached catalog and schemas hold while its agents report the fingerprint they were read under.
      catalogs.reported(agent.tenantId(), agent.agentGroup(), request.catalog());
    }
    int maxJobs = Math.min(request.maxJobs(), MAX_JOBS_PER_POLL);
    Duration hold = request.holdSeconds() == null ? Duration.ofDays(1)
        : Duration.ofSeconds(Math.max(0, request.holdSeconds()));
    // What the agent's version can read: an agent that names nothing predates payloads and reads customers only.
    java.util.Set<io.ferry.protocol.Action> readable = Dispatcher.readableBy(request.actions());
    return dispatcher.poll(agent, maxJobs, hold, longest == null ? dispatcher.pollHold() : longest, request.runId(),
        readable)
        .whenComplete((jobs, failure) -> pollLimits.release(agent.agentId()))
        .thenApply(jobs -> new PollResponse(Protocol.VERSION, jobs));
  }

  /**
   * The agent has a poll parked on its stream: it is online as if it had just polled. A stream's poll is held
   * for minutes, longer than relay.agent-offline-after; without this the agent would count as offline while
   * it waits for work.
   */
  void stillPolling(AgentIdentity agent) {
    presence.stillPolling(agent);
  }

  void releasePollSlot(AgentIdentity agent) {
    pollLimits.release(agent.agentId());
  }

  /** Answers a parked poll of the agent now, with what it holds (nothing, mostly): its stream closed. */
  void releasePoll(AgentIdentity agent) {
    dispatcher.release(agent, null);
  }

  /**
   * {@code DELETE /agent/v1/poll}: the agent stops polling (it sends this when it stops gracefully); its held
   * poll, if any, answers empty at once, and it counts as offline at once — on every relay sharing the store —
   * until it polls again, so engines hear 503 no-agent-online instead of queueing jobs for nobody.
   */
  void stopPolling(Context ctx) {
    AgentIdentity agent = Guard.agent(ctx);
    dispatcher.release(agent, ctx.queryParam("run"));
    presence.left(agent);
    LOG.info("agent {} stops: offline until it polls again", agent.agentId());
    ctx.status(204);
  }

  /** {@code POST /agent/v1/jobs/{id}/lease}. */
  void renewLease(Context ctx) {
    AgentIdentity agent = Guard.agent(ctx);
    String jobId = ctx.pathParam("id");
    LeaseRenewal request = bodies.agentMessage(ctx, LeaseRenewal.class);
    checkVersion(request.protocolVersion());
    checkJobId(jobId, request.jobId());
    checkAttempt(request.attempt());
    presence.working(agent, request.inFlight() == null ? null : Math.max(0, request.inFlight()));
    Dispatcher.Renewal renewal = dispatcher.renewLease(agent, jobId, request.attempt());
    switch (renewal.outcome()) {
      case RENEWED -> Answer.json(200,
          new LeaseRenewal(Protocol.VERSION, jobId, request.attempt(), renewal.leaseExpiresAt())).send(ctx);
      case NOT_FOUND -> throw jobNotFound(jobId);
      case NOT_HELD -> throw new ProblemException(ProblemType.LEASE_NOT_HELD,
          "attempt " + request.attempt() + " of job " + jobId + " is not leased to this agent (any more): "
              + "the lease lapsed, the job was handed out again or it has ended; stop working on it");
    }
  }

  /** {@code POST /agent/v1/jobs/{id}/result}: 204 on first acceptance and on an identical resend. */
  void postResult(Context ctx) {
    AgentIdentity agent = Guard.agent(ctx);
    String jobId = ctx.pathParam("id");
    JobResult result = bodies.agentMessage(ctx, JobResult.class);
    checkVersion(result.protocolVersion());
    checkJobId(jobId, result.jobId());
    presence.working(agent, null);
    take(agent, result);
    Answer.empty(204).send(ctx);
  }

  /**
   * {@code POST /agent/v1/results} ({@link ResultBatch}): each result taken as {@link #postResult} takes it, side
   * by side (the store commits concurrent results together), and answered with a receipt each: 200 with
   * {@link ResultReceipts} however the single results fared. One request for many jobs instead of one each.
   */
  void postResults(Context ctx) {
    AgentIdentity agent = Guard.agent(ctx);
    Answer.json(200, takeResults(agent, bodies.agentMessage(ctx, ResultBatch.class))).send(ctx);
  }

  /**
   * The results of a {@link ResultBatch}, each taken side by side and answered with its receipt. A
   * {@link ProblemException} refuses the batch as a whole (a wrong version or size); a store that fails fails
   * the whole batch (503): the agent keeps every result and sends them again.
   */
  ResultReceipts takeResults(AgentIdentity agent, ResultBatch batch) {
    checkVersion(batch.protocolVersion());
    if (batch.results().isEmpty() || batch.results().size() > ResultBatch.MAX_RESULTS) {
      throw invalid("a result batch holds 1 to " + ResultBatch.MAX_RESULTS + " results, this one "
          + batch.results().size());
    }
    presence.working(agent, null);
    if (batch.results().size() == 1) { // no thread to start for one: it is taken on this one
      return new ResultReceipts(Protocol.VERSION, java.util.List.of(receipt(agent, batch.results().get(0))));
    }
    java.util.List<CompletableFuture<ResultReceipts.Receipt>> taking = batch.results().stream()
        .map(r -> CompletableFuture.supplyAsync(() -> receipt(agent, r), SIDE_BY_SIDE))
        .toList();
    return new ResultReceipts(Protocol.VERSION, taking.stream().map(CompletableFuture::join).toList());
  }

  Bodies bodies() {
    return bodies;
  }

  /** A virtual thread per result of a batch: they wait for the store's commit together. */
  private static final java.util.concurrent.ExecutorService SIDE_BY_SIDE =
      java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ferry-result-", 0).factory());

  private ResultReceipts.Receipt receipt(AgentIdentity agent, JobResult result) {
    String jobId = result == null ? null : result.jobId();
    int attempt = result == null ? 0 : result.attempt();
    try {
      if (jobId == null || jobId.isBlank()) {
        throw invalid("each result of a batch names its jobId");
      }
      // Logged under the job's trace, which the agent keeps with the result: a batch has no request of its own.
      try (var log = io.ferry.relay.trace.TraceMdc.job(jobId, result.traceparent())) {
        take(agent, result);
      }
      return new ResultReceipts.Receipt(jobId, attempt, 204, null);
    } catch (ProblemException p) {
      return new ResultReceipts.Receipt(jobId, attempt, p.type.status,
          Problems.problem(p, jobId == null ? Protocol.RESULTS_PATH : Protocol.resultPath(jobId)));
    }
  }

  /** Records one result of the agent's; a {@link ProblemException} says why it is not taken. */
  private void take(AgentIdentity agent, JobResult result) {
    String jobId = result.jobId();
    checkAttempt(result.attempt());
    JobState outcome;
    String resultJson = null;
    String errorJson = null;
    if (result.outcome() == JobResult.Outcome.SUCCEEDED) {
      Action action = dispatcher.actionOf(agent.tenantId(), jobId).orElseThrow(() -> jobNotFound(jobId));
      JobOutput output = JobOutput.of(action, result).orElseThrow(() -> invalid("a SUCCEEDED result of "
          + action.wireName() + " carries " + JobOutput.expected(action)));
      java.util.List<io.ferry.protocol.Problem.FieldError> breaches = output.breaches(action);
      if (!breaches.isEmpty()) {
        refuseResult(agent, jobId, result.attempt(), action, breaches); // throws: the agent hears 422
      }
      outcome = JobState.SUCCEEDED;
      resultJson = output.toJson(action);
    } else if (result.outcome() == JobResult.Outcome.FAILED) {
      if (result.error() == null || result.error().kind() == null) {
        throw invalid("a FAILED result carries an error with its kind");
      }
      outcome = JobState.FAILED;
      errorJson = json(result.error());
    } else {
      throw invalid("outcome must be SUCCEEDED or FAILED");
    }
    JobStore.Completion completion = dispatcher.complete(agent, jobId, result.attempt(), outcome, resultJson, errorJson);
    switch (completion) {
      case ACCEPTED, DUPLICATE -> { }
      case NOT_FOUND -> throw jobNotFound(jobId);
      case CONFLICT -> throw new ProblemException(ProblemType.RESULT_CONFLICT,
          "job " + jobId + " does not take this result for attempt " + result.attempt()
              + ": a newer attempt holds it, it has ended with another result, or it expired; drop this result");
    }
  }

  /**
   * A SUCCEEDED result that breaks the customer model (a name longer than SAP's field, a customer number that
   * is none) is not passed on to engines: the job ends FAILED with {@code invalid-agent-result}, which says
   * what was wrong and that SAP may have done the operation, and the agent is told 422 naming the fields (so it
   * does not send the result again).
   */
  private void refuseResult(AgentIdentity agent, String jobId, int attempt, Action action,
      java.util.List<io.ferry.protocol.Problem.FieldError> breaches) {
    String fields = JobOutput.describe(breaches);
    JobStore.Completion completion = dispatcher.complete(agent, jobId, attempt, JobState.FAILED, null,
        json(JobOutput.invalidResult(action, breaches)));
    switch (completion) {
      case ACCEPTED, DUPLICATE -> {
        LOG.warn("job {}: agent {} reported a result that breaks the {} ({}); the job ended FAILED",
            jobId, agent.agentId(), JobOutput.model(action), fields);
        throw new ProblemException(ProblemType.RESULT_BREAKS_MODEL, "the result breaks the " + JobOutput.model(action)
            + ": "
            + fields + "; job " + jobId + " ended FAILED (" + ProblemType.INVALID_AGENT_RESULT.code
            + " invalid-agent-result); do not send this result again").errors(breaches);
      }
      case NOT_FOUND -> throw jobNotFound(jobId);
      case CONFLICT -> throw new ProblemException(ProblemType.RESULT_CONFLICT,
          "job " + jobId + " does not take this result for attempt " + attempt
              + ": a newer attempt holds it, it has ended with another result, or it expired; drop this result");
    }
  }

  /**
   * {@code POST /agent/v1/key} ({@code AgentKeyChange}): registers a new public key, authenticated with
   * the current one (or the deprecated bearer key, which this retires: the way from a bearer key to a key
   * pair). The previous key pair keeps working until {@code previousKeyValidUntil}.
   */
  /**
   * {@code POST /agent/v1/session}: a session for an agent with a key pair, so that its next requests
   * carry a MAC instead of a signature (see {@link io.ferry.protocol.AgentSessionToken}). The answer
   * holds the session's secret: never cached, never logged.
   */
  void openSession(Context ctx) {
    io.ferry.protocol.AgentSession session = Guard.session(ctx);
    ctx.header("Cache-Control", "no-store");
    Answer.json(200, session).send(ctx);
  }

  void changeKey(Context ctx) {
    AgentIdentity agent = Guard.agent(ctx);
    AgentKeyChange request = bodies.agentMessage(ctx, AgentKeyChange.class);
    checkVersion(request.protocolVersion());
    checkPublicKey(request.publicKey(), true);
    java.time.Instant until = enrollment.changeKey(agent, request.publicKey());
    LOG.info("agent {} registered a new key; the previous one works until {}", agent.agentId(), until);
    audit.record(agent.tenantId(), agent.agentId(), "agent.key.rotate", agent.agentId(), "SUCCEEDED",
        "previous key valid until " + until);
    Answer.json(200, new AgentKeyChange(Protocol.VERSION, request.publicKey(), until)).send(ctx);
  }

  private static void checkPublicKey(String publicKey, boolean required) {
    if (publicKey == null && !required) {
      return;
    }
    if (publicKey == null || AgentToken.decodePublicKey(publicKey).isEmpty()) {
      throw invalid("publicKey must be an EC P-256 public key, base64 of its X.509 SubjectPublicKeyInfo (DER)");
    }
  }

  static void checkVersion(int version) {
    if (version < OLDEST_VERSION || version > Protocol.VERSION) {
      throw new ProblemException(ProblemType.UNSUPPORTED_PROTOCOL_VERSION,
          "protocolVersion " + version + " is not supported; this relay speaks "
              + (OLDEST_VERSION == Protocol.VERSION ? "version " + Protocol.VERSION
                  : "versions " + OLDEST_VERSION + " to " + Protocol.VERSION));
    }
  }

  private static void checkJobId(String pathId, String bodyId) {
    if (bodyId != null && !bodyId.equals(pathId)) {
      throw invalid("the body's jobId " + bodyId + " differs from the path's " + pathId);
    }
  }

  private static void checkAttempt(int attempt) {
    if (attempt < 1) {
      throw invalid("attempt must be the job's attempt number from the poll (1 or more), was " + attempt);
    }
  }

  private static ProblemException jobNotFound(String jobId) {
    return new ProblemException(ProblemType.OPERATION_NOT_FOUND, "no job " + jobId + " exists for this agent's tenant");
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(ProblemType.INVALID_AGENT_MESSAGE, detail);
  }


  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
