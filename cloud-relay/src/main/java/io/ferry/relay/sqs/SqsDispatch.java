package io.ferry.relay.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobError;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.QueuedMessage;
import io.ferry.relay.auth.AgentIdentity;
import io.ferry.relay.dispatch.AgentPresence;
import io.ferry.relay.dispatch.Dispatcher;
import io.ferry.relay.dispatch.JobOutput;
import io.ferry.relay.store.AccessStore;
import io.ferry.relay.store.Job;
import io.ferry.relay.store.JobState;
import io.ferry.relay.store.JobStore;
import io.ferry.relay.trace.TraceMdc;
import io.ferry.sqs.QueueNames;
import io.ferry.sqs.RequestCount;
import io.ferry.sqs.SqsClients;
import io.ferry.sqs.SqsSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Dispatch through Amazon SQS. The store stays the record of every job — its state, its idempotency key, the
 * answer the engine waits for — and SQS replaces only the way a job reaches an agent:
 * <ul>
 *   <li>a queued job is leased to {@link #HOLDER} and sent to the jobs queue of its tenant and agent group
 *       (FIFO: grouped by customer, deduplicated by job id and attempt); once SQS has it, the lease runs to the
 *       job's deadline;
 *   <li>results and heartbeats come back through each group's results queue, are recorded like the HTTP result
 *       endpoint records them (idempotently), then deleted;
 *   <li>a job message that reached the dead-letter queue (received relay.max-attempts times without an end) makes
 *       its job DEAD.
 * </ul>
 * Several relays may share the queues (and a PostgreSQL store): each consumes every results and dead-letter
 * queue, and a message is handled by whichever receives it. One relay failing loses nothing: a message it
 * received and did not delete comes back after its visibility timeout.
 */
public final class SqsDispatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SqsDispatch.class);
  private static final ObjectMapper JSON = Protocol.json();
  /** Who holds the lease of a job handed to SQS; the agent that runs it is in the result. */
  public static final String HOLDER = "sqs";
  /** The code of every DEAD job (as the lease reaper makes them), with its own detail. */
  static final String DEAD_CODE = "FERRY-RELAY-0304";
  /** SQS's most per request: messages sent in one batch, received in one call, deleted in one batch. */
  private static final int BATCH = 10;
  /** Receive loops per results queue: while one handles and deletes what it got, another waits for more. */
  static final int RESULT_RECEIVERS = 2;
  private static final int WAIT_SECONDS = 20;
  private static final Duration DISCOVER_EVERY = Duration.ofSeconds(10);
  private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(2);
  private static final Duration JOIN_WAIT = Duration.ofSeconds(3);

  private final SqsSettings settings;
  private final SqsClient sqs;
  private final RequestCount requests;
  private final Dispatcher dispatcher;
  private final AgentPresence presence;
  private final AccessStore access;
  private final Clock clock;
  private final Duration leaseDuration;
  private final String deadError;
  private final RelayQueues queues;
  /** Tenant id → its forwarding of jobs to SQS. */
  private final Map<String, Forwarding> forwarding = new ConcurrentHashMap<>();
  /**
   * Forwarding, lease extensions and result handling: virtual threads, so the store's writes of many of them
   * wait for one commit together.
   */
  private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("ferry-sqs-worker-", 0).factory());
  /** Queue URL → its receive loops. */
  private final Map<String, List<Thread>> consumers = new ConcurrentHashMap<>();
  /** Dead-letter queue URL → its tenant. */
  private final Map<String, String> deadTenants = new ConcurrentHashMap<>();
  private volatile boolean stopping;
  private Thread discoverer;

  public SqsDispatch(SqsSettings settings, Dispatcher dispatcher, AgentPresence presence, AccessStore access,
      Clock clock, Duration leaseDuration, Duration jobDeadline, int maxAttempts) {
    this(settings, new RequestCount(), dispatcher, presence, access, clock, leaseDuration, jobDeadline, maxAttempts);
  }

  private SqsDispatch(SqsSettings settings, RequestCount requests, Dispatcher dispatcher, AgentPresence presence,
      AccessStore access, Clock clock, Duration leaseDuration, Duration jobDeadline, int maxAttempts) {
    this(settings, SqsClients.open(settings, requests), requests, dispatcher, presence, access, clock, leaseDuration,
        jobDeadline, maxAttempts);
  }

  SqsDispatch(SqsSettings settings, SqsClient sqs, RequestCount requests, Dispatcher dispatcher, AgentPresence presence, AccessStore access,
      Clock clock, Duration leaseDuration, Duration jobDeadline, int maxAttempts) {
    this.settings = settings;
    this.sqs = sqs;
    this.requests = requests;
    this.dispatcher = dispatcher;
    this.presence = presence;
    this.access = access;
    this.clock = clock;
    this.leaseDuration = leaseDuration;
    this.deadError = json(new JobError(JobError.Kind.INTERNAL, DEAD_CODE, "no agent finished the job: its message "
        + "was received " + maxAttempts + " time(s) (relay.max-attempts) without a result and moved to the "
        + "dead-letter queue", null));
    this.queues = new RelayQueues(sqs, settings, leaseDuration, jobDeadline, maxAttempts, this::consume);
  }

  /** Starts forwarding queued jobs and consuming the results and dead-letter queues. */
  public void start() {
    dispatcher.onQueued(this::wake);
    discoverer = Thread.ofVirtual().name("ferry-sqs-discover").start(this::discoverLoop);
    LOG.info("SQS dispatch started: {}", settings.describe());
  }

  /**
   * Makes sure the group's queues exist (an enrollment token for it was issued), so its agents find them.
   * Failures are logged: the first job or heartbeat for the group tries again.
   */
  public void prepare(String tenantId, String agentGroup) {
    try {
      queues.of(tenantId, agentGroup);
    } catch (RuntimeException e) {
      LOG.warn("FERRY-RELAY-0601 could not create the SQS queues of tenant {} group {}: {}", tenantId, agentGroup,
          e.getMessage());
    }
  }

  /**
   * A job of the tenant (and group; null for any) may be waiting: forward it soon, on a worker thread. Does not
   * block (the dispatcher calls it on the thread that queued).
   */
  void wake(String tenantId, String agentGroup) {
    Forwarding f = forwarding.computeIfAbsent(tenantId, Forwarding::new);
    f.groups.add(agentGroup == null ? "" : agentGroup);
    f.schedule();
  }

  // ------------------------------------------------------------------ relay → agents

  /**
   * A tenant's forwarding. At most one runs per tenant at a time, so the jobs of one message group reach SQS in
   * the order the store leased them (a batch keeps its entries' order); while it sends, the jobs queued meanwhile
   * wait for its next batch, so batches fill up as load grows, with no timer.
   */
  private final class Forwarding {
    private final String tenantId;
    /** Groups woken since the last look ("" for any group of the tenant). */
    private final Set<String> groups = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean();

    Forwarding(String tenantId) {
      this.tenantId = tenantId;
    }

    void schedule() {
      if (!stopping && !groups.isEmpty() && running.compareAndSet(false, true)) {
        try {
          workers.execute(this::drain);
        } catch (RejectedExecutionException e) {
          running.set(false); // stopping
        }
      }
    }

    private void drain() {
      try {
        while (!stopping && !groups.isEmpty()) {
          for (String group : List.copyOf(groups)) {
            groups.remove(group);
            try {
              forward(tenantId, group.isEmpty() ? null : group);
            } catch (RuntimeException e) {
              LOG.warn("FERRY-RELAY-0602 forwarding jobs of tenant {} to SQS failed (their leases lapse and they are "
                  + "sent again): {}", tenantId, e.getMessage());
            }
          }
        }
      } finally {
        running.set(false);
      }
      schedule(); // a wake that came between the last look and the release
    }
  }

  private void forward(String tenantId, String wokenGroup) {
    String group = wokenGroup != null ? wokenGroup : groupFor(tenantId).orElse(null);
    if (group == null) {
      return; // no agent of the tenant known yet; its first heartbeat forwards the job
    }
    RelayQueues.Urls urls = queues.of(tenantId, group);
    while (!stopping) {
      List<Dispatcher.Leased> leased = dispatcher.lease(tenantId, group, HOLDER, BATCH,
          clock.instant().plus(leaseDuration));
      if (!leased.isEmpty()) {
        send(urls, leased);
      }
      if (leased.size() < BATCH) {
        return;
      }
    }
  }

  /**
   * Sends leased jobs to the jobs queue in one request (a FIFO queue enqueues a batch's entries in their order),
   * then extends the leases of those SQS took, each on its own thread so the store commits them together, while
   * this forwarding leases and sends the next batch (a lone job's here, without a hand-over). A job whose entry failed keeps its short send-lease: it
   * lapses and the job is sent again, as after a failed request.
   */
  private void send(RelayQueues.Urls urls, List<Dispatcher.Leased> leased) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>(leased.size());
    for (int i = 0; i < leased.size(); i++) {
      JobEnvelope envelope = leased.get(i).envelope();
      SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
          .messageBody(json(envelope));
      if (settings.fifo()) {
        entry.messageGroupId(MessageGroup.of(envelope)).messageDeduplicationId(deduplicationId(leased.get(i).job()));
      }
      entries.add(entry.build());
    }
    SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(urls.jobs()).entries(entries));
    for (BatchResultErrorEntry failed : response.failed()) {
      Job job = leased.get(Integer.parseInt(failed.id())).job();
      LOG.warn("FERRY-RELAY-0602 SQS did not take job {} ({}: {}); its send-lease lapses and it is sent again", job.id(),
          failed.code(), failed.message());
    }
    if (response.successful().size() == 1) {
      // A lone job (light load): no hand-over, its pickup ends as soon as its lease is extended.
      sent(urls, leased.get(Integer.parseInt(response.successful().get(0).id())));
      return;
    }
    for (SendMessageBatchResultEntry sent : response.successful()) {
      Dispatcher.Leased l = leased.get(Integer.parseInt(sent.id()));
      try {
        workers.execute(() -> sent(urls, l));
      } catch (RejectedExecutionException e) {
        // Stopping: the send-lease lapses and the job is sent again (an agent answers it from its journal).
      }
    }
  }

  /** SQS holds the job now: the lease lasts until the deadline, and the jobs queue's redrive ends it earlier. */
  private void sent(RelayQueues.Urls urls, Dispatcher.Leased leased) {
    Job job = leased.job();
    try {
      dispatcher.extendLease(job.tenantId(), job.id(), HOLDER, job.attempt(), job.deadline().plus(leaseDuration));
    } catch (RuntimeException e) {
      LOG.warn("FERRY-RELAY-0602 could not extend the lease of job {} sent to SQS (its send-lease lapses and it is "
          + "sent again): {}", job.id(), e.getMessage());
      return;
    }
    try (TraceMdc.Scope log = TraceMdc.job(job.id(), job.traceparent())) {
      LOG.info("job {} sent to SQS queue {} (attempt {}, group {})", job.id(), urls.names().jobs(), job.attempt(),
          settings.fifo() ? MessageGroup.of(leased.envelope()) : "-");
    }
  }

  /**
   * One per attempt: a send SQS took while the relay saw an error is dropped as a duplicate if retried for the
   * same attempt, but the next attempt (after the send-lease lapsed, or an administrator's retry) is queued
   * even within SQS's 5-minute deduplication window. The agent that ran the earlier message answers the new
   * one from its journal, under the new attempt, which the relay accepts; another agent finds a create's
   * customer by its external id.
   */
  static String deduplicationId(Job job) {
    return job.id() + "-" + job.attempt();
  }

  /** Where a job for any agent of the tenant goes: the group of the agent seen last, else of any enrolled one. */
  private Optional<String> groupFor(String tenantId) {
    return presence.onlineGroup(tenantId).or(() -> access.agents(tenantId).stream()
        .filter(a -> a.disabledAt() == null).map(AccessStore.AgentRecord::agentGroup).findFirst());
  }

  // ------------------------------------------------------------------ agents → relay

  /** Starts receive loops for a group's results and dead-letter queues (once each). */
  private void consume(RelayQueues.Urls urls) {
    deadTenants.put(urls.dead(), urls.tenantId());
    startConsumer(urls.results(), urls.names().results(), RESULT_RECEIVERS, this::onResultMessage);
    startConsumer(urls.dead(), urls.names().dead(), 1, this::onDeadLetter);
  }

  /** Finds the queues other relays (or earlier runs) made, and consumes them too. */
  private void discoverLoop() {
    while (!stopping) {
      try {
        for (String url : sqs.listQueues(b -> b.queueNamePrefix(settings.queuePrefix() + "-")).queueUrls()) {
          String name = url.substring(url.lastIndexOf('/') + 1);
          Optional<QueueNames.Kind> kind = QueueNames.kindOf(name);
          if (kind.isEmpty() || consumers.containsKey(url)) {
            continue;
          }
          switch (kind.get()) {
            case RESULTS -> startConsumer(url, name, RESULT_RECEIVERS, this::onResultMessage);
            case DEAD -> QueueNames.tenantOf(settings.queuePrefix(), name).ifPresent(tenant -> {
              deadTenants.put(url, tenant);
              startConsumer(url, name, 1, this::onDeadLetter);
            });
            case JOBS -> { }
          }
        }
      } catch (RuntimeException e) {
        if (!stopping) {
          LOG.warn("FERRY-RELAY-0603 could not list the SQS queues: {}", e.getMessage());
        }
      }
      if (!pause(DISCOVER_EVERY)) {
        return;
      }
    }
  }

  /** Handles one message; true when it may be deleted (handled, or never handleable). */
  private interface Handler {
    boolean handle(String queueUrl, String queueName, Message message);
  }

  /** Starts {@code receivers} receive loops on the queue, once per queue. */
  private void startConsumer(String url, String name, int receivers, Handler handler) {
    consumers.computeIfAbsent(url, u -> {
      List<Thread> loops = new ArrayList<>(receivers);
      for (int i = 0; i < receivers; i++) {
        loops.add(Thread.ofVirtual().name("ferry-sqs-" + name + "-" + i).start(() -> receiveLoop(u, name, handler)));
      }
      return loops;
    });
  }

  /**
   * Receives up to 10 messages at a time (long polls), handles them side by side (the store commits their writes
   * together), and deletes those handled in one request. A message not handled comes back after the queue's
   * visibility timeout, here or at another relay.
   */
  private void receiveLoop(String url, String name, Handler handler) {
    while (!stopping) {
      try {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(WAIT_SECONDS)
            .maxNumberOfMessages(BATCH).messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
            .messages();
        List<Future<Boolean>> handling = new ArrayList<>(messages.size());
        for (Message m : messages) {
          handling.add(workers.submit(() -> handle(url, name, handler, m)));
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
          if (handled(handling.get(i))) {
            done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                .receiptHandle(messages.get(i).receiptHandle()).build());
          }
        }
        if (!done.isEmpty()) {
          sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(done));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (stopping) {
          return;
        }
        LOG.warn("FERRY-RELAY-0605 receiving from SQS queue {} failed, retrying in {}: {}", name, RETRY_AFTER_ERROR,
            e.getMessage());
        if (!pause(RETRY_AFTER_ERROR)) {
          return;
        }
      }
    }
  }

  private static boolean handle(String url, String name, Handler handler, Message m) {
    try {
      return handler.handle(url, name, m);
    } catch (RuntimeException e) {
      // Left in the queue: it comes back after its visibility timeout, here or at another relay.
      LOG.warn("FERRY-RELAY-0604 message {} of {} not handled, it comes back later: {}", m.messageId(), name,
          e.getMessage());
      return false;
    }
  }

  private static boolean handled(Future<Boolean> handling) throws InterruptedException {
    try {
      return handling.get();
    } catch (ExecutionException e) {
      return false; // handle() catches what a handler throws; an Error is left to come back
    }
  }

  /**
   * A result or heartbeat. It counts only from an enabled agent, through that agent's own results queue: the
   * tenant and group are the agent's, whatever the message says.
   */
  private boolean onResultMessage(String queueUrl, String queueName, Message message) {
    QueuedMessage msg;
    try {
      msg = JSON.readValue(message.body(), QueuedMessage.class);
    } catch (JsonProcessingException e) {
      LOG.warn("FERRY-RELAY-0606 dropped a message of {} that is not an agent message: {}", queueName,
          e.getOriginalMessage());
      return true;
    }
    Optional<AccessStore.AgentRecord> agent = msg.agentId() == null ? Optional.empty() : access.findAgent(msg.agentId());
    if (agent.isEmpty() || agent.get().disabledAt() != null
        || !settings.queues(agent.get().tenantId(), agent.get().agentGroup()).results().equals(queueName)) {
      LOG.warn("FERRY-RELAY-0607 dropped a message of {} from agent {}: unknown, disabled, or not this queue's agent",
          queueName, msg.agentId());
      return true;
    }
    AgentIdentity identity = new AgentIdentity(agent.get().id(), agent.get().tenantId(), agent.get().agentGroup());
    presence.seen(identity, msg.agentVersion(), msg.backend(), msg.inFlight());
    if (QueuedMessage.HEARTBEAT.equals(msg.type())) {
      wake(identity.tenantId(), identity.agentGroup());
      return true;
    }
    if (QueuedMessage.RESULT.equals(msg.type()) && msg.result() != null) {
      record(identity, msg.result());
      return true;
    }
    LOG.warn("FERRY-RELAY-0606 dropped a message of {} of unknown type {}", queueName, msg.type());
    return true;
  }

  /** As {@code POST /agent/v1/jobs/{id}/result} records it: a repeat is a duplicate, a stale attempt a conflict. */
  private void record(AgentIdentity agent, JobResult result) {
    String jobId = result.jobId();
    Optional<Job> job = jobId == null ? Optional.empty() : dispatcher.find(agent.tenantId(), jobId);
    if (job.isEmpty()) {
      LOG.warn("FERRY-RELAY-0608 result of agent {} for job {} dropped: no such job in tenant {}", agent.agentId(),
          jobId, agent.tenantId());
      return;
    }
    JobState outcome;
    String resultJson = null;
    String errorJson = null;
    if (result.outcome() == JobResult.Outcome.SUCCEEDED) {
      Optional<JobOutput> output = JobOutput.of(job.get().action(), result);
      if (output.isEmpty()) {
        LOG.warn("FERRY-RELAY-0608 result of agent {} for job {} dropped: a SUCCEEDED result of {} carries {}",
            agent.agentId(), jobId, job.get().action().wireName(), JobOutput.expected(job.get().action()));
        return;
      }
      var breaches = output.get().breaches(job.get().action());
      if (breaches.isEmpty()) {
        outcome = JobState.SUCCEEDED;
        resultJson = output.get().toJson(job.get().action());
      } else {
        // Not kept, as over HTTP: the job ends FAILED with invalid-agent-result.
        LOG.warn("FERRY-RELAY-0608 result of agent {} for job {} breaks the {} ({}); the job ends FAILED",
            agent.agentId(), jobId, JobOutput.model(job.get().action()), JobOutput.describe(breaches));
        outcome = JobState.FAILED;
        errorJson = json(JobOutput.invalidResult(job.get().action(), breaches));
      }
    } else if (result.outcome() == JobResult.Outcome.FAILED && result.error() != null && result.error().kind() != null) {
      outcome = JobState.FAILED;
      errorJson = json(result.error());
    } else {
      LOG.warn("FERRY-RELAY-0608 result of agent {} for job {} dropped: neither SUCCEEDED nor FAILED with an error",
          agent.agentId(), jobId);
      return;
    }
    JobStore.Completion completion = dispatcher.complete(new AgentIdentity(HOLDER, agent.tenantId(),
        agent.agentGroup()), jobId, result.attempt(), outcome, resultJson, errorJson);
    try (TraceMdc.Scope log = TraceMdc.job(jobId, result.traceparent())) {
      LOG.info("result of job {} attempt {} from agent {} through SQS: {}", jobId, result.attempt(), agent.agentId(),
          completion);
    }
  }

  /** A job message received relay.max-attempts times without an end: the job is DEAD. */
  private boolean onDeadLetter(String queueUrl, String queueName, Message message) {
    String tenantId = deadTenants.get(queueUrl);
    JobEnvelope job;
    try {
      job = JSON.readValue(message.body(), JobEnvelope.class);
    } catch (JsonProcessingException e) {
      LOG.warn("FERRY-RELAY-0606 dropped a message of {} that is not a job: {}", queueName, e.getOriginalMessage());
      return true;
    }
    JobStore.Completion c = dispatcher.bury(tenantId, job.jobId(), HOLDER, job.attempt(), deadError);
    if (c != JobStore.Completion.ACCEPTED) {
      LOG.info("dead letter of job {} attempt {} ignored: the job has ended or moved on ({})", job.jobId(),
          job.attempt(), c);
    }
    return true;
  }

  // ------------------------------------------------------------------ lifecycle

  /** Waits up to {@code d}; false when stopping (or interrupted). */
  private boolean pause(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    synchronized (this) {
      while (!stopping) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  /** Stops forwarding and receiving (a receive in progress is interrupted), then closes the client. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (stopping) {
        return;
      }
      stopping = true;
      notifyAll();
    }
    List<Thread> threads = new ArrayList<>();
    consumers.values().forEach(threads::addAll);
    if (discoverer != null) {
      threads.add(discoverer);
    }
    threads.forEach(Thread::interrupt);
    long until = System.nanoTime() + JOIN_WAIT.toNanos();
    for (Thread t : threads) {
      try {
        if (!t.join(Duration.ofNanos(Math.max(1, until - System.nanoTime())))) {
          LOG.warn("SQS thread {} still busy after {}; leaving it", t.getName(), JOIN_WAIT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        LOG.warn("SQS sends and results still busy after {}; leaving them", JOIN_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sqs.close();
    LOG.info("SQS requests of this relay by operation: {}", requests.snapshot());
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not serialise " + value.getClass().getSimpleName(), e);
    }
  }
}
