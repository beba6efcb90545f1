package io.ferry.agent.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.agent.exec.JobRunner;
import io.ferry.agent.journal.Journal;
import io.ferry.agent.journal.ResultSender;
import io.ferry.agent.poll.Backoff;
import io.ferry.agent.poll.Sleeper;
import io.ferry.agent.relay.RelayException;
import io.ferry.protocol.JobEnvelope;
import io.ferry.protocol.JobResult;
import io.ferry.protocol.Protocol;
import io.ferry.protocol.QueuedMessage;
import io.ferry.sqs.QueueNames;
import io.ferry.sqs.RequestCount;
import io.ferry.sqs.SqsClients;
import io.ferry.sqs.SqsSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The agent's jobs from Amazon SQS instead of the relay's long poll: it receives from its own tenant and group's
 * jobs queue (20 s long polls, up to 10 messages, never more than it has free workers), runs each job with the
 * shared {@link JobRunner} (allowlist, signature, journal, external-id look-up all as in poll transport), keeps
 * a running job's message invisible (the lease), and deletes it once the result is durable in the journal. The
 * journal sends results, and a timer sends heartbeats, to the group's results queue. Requests carry up to 10
 * messages each (deletes through {@link DeleteBatcher}, the journal's result batches as one send), so the
 * requests per job fall as load grows.
 *
 * <p>Messages of one FIFO message group (one customer) received together run one after the other on one
 * worker, in order; the lease of a running job also covers the messages waiting behind it.
 */
public final class SqsIntake implements ResultSender, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SqsIntake.class);
  private static final ObjectMapper JSON = Protocol.json();
  static final int WAIT_SECONDS = 20;
  static final int MAX_MESSAGES = 10;
  /**
   * Receive calls waiting side by side: while one call's messages are being started, the next call is already
   * waiting, and a receive that SQS answers with few messages does not hold the others up.
   */
  static final int RECEIVERS = 2;

  private final SqsClient sqs;
  private final RequestCount requests;
  private final QueueNames names;
  private final String agentId;
  private final String backendName;
  private final int workers;
  private final Duration renewEvery;
  private final Backoff backoff;
  private final Clock clock;
  private final Sleeper sleeper = new Sleeper();
  private final ExecutorService pool;
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
      r -> Thread.ofPlatform().name("ferry-sqs-heartbeat").daemon(true).unstarted(r));
  private final CountDownLatch connected = new CountDownLatch(1);
  /** Job id → its message, from receipt to deletion (or to the agent giving it back). */
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final Object capacity = new Object();
  private int running;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean stopping;
  private volatile boolean waitingLogged;
  private volatile String jobsUrl;
  private volatile String resultsUrl;
  private volatile Instant lastSuccess;
  private volatile Runnable onReconnect = () -> { };
  private final List<Thread> receivers = new CopyOnWriteArrayList<>();
  private final DeleteBatcher deletes;

  /** A received message, its job (null when it is not one) and the job's id. */
  private record Received(Message message, JobEnvelope job, String jobId) {
    static Received of(Message m) {
      JobEnvelope job = envelopeOf(m);
      return new Received(m, job, job == null ? "message:" + m.messageId() : job.jobId());
    }
  }

  /** A received message and the messages of its chain (its customer's, received with it). */
  private record Held(Received received, List<Received> chain) {}

  /**
   * @param renewEvery how often a running job's message is made invisible again, for three times as long: a
   *     stopped agent's job comes back within that, a slow SAP call keeps its job
   */
  public SqsIntake(SqsSettings settings, String tenantId, String agentGroup, String agentId, String backendName,
      int workers, Duration renewEvery, Backoff backoff, Clock clock) {
    this(settings, new RequestCount(), tenantId, agentGroup, agentId, backendName, workers, renewEvery, backoff,
        clock);
  }

  private SqsIntake(SqsSettings settings, RequestCount requests, String tenantId, String agentGroup, String agentId,
      String backendName, int workers, Duration renewEvery, Backoff backoff, Clock clock) {
    this(SqsClients.open(settings, requests), requests, settings.queues(tenantId, agentGroup), agentId, backendName,
        workers, renewEvery, backoff, clock);
  }

  SqsIntake(SqsClient sqs, RequestCount requests, QueueNames names, String agentId, String backendName, int workers, Duration renewEvery,
      Backoff backoff, Clock clock) {
    this.sqs = sqs;
    this.requests = requests;
    this.names = names;
    this.agentId = agentId;
    this.backendName = backendName;
    this.workers = workers;
    this.renewEvery = renewEvery;
    this.backoff = backoff;
    this.clock = clock;
    this.deletes = new DeleteBatcher(sqs);
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(workers,
        r -> Thread.ofPlatform().name("ferry-job-" + n.incrementAndGet()).daemon(false).unstarted(r));
  }

  /** Told when a receive reaches SQS again after a failure (or for the first time): the journal sends at once. */
  public void onReconnect(Runnable r) {
    this.onReconnect = r;
  }

  /** Starts receiving jobs for {@code runner} and sending heartbeats. */
  public synchronized void start(JobRunner runner, Journal journal, String agentVersion) {
    if (!receivers.isEmpty()) {
      return;
    }
    log.info("FERRY-AGENT-0401 receiving jobs from SQS queue {}, results to {}", names.jobs(), names.results());
    heartbeats.scheduleWithFixedDelay(() -> heartbeat(agentVersion), 0, renewEvery.toMillis(), TimeUnit.MILLISECONDS);
    // Virtual: a receive waiting for messages ends at once when shutdown interrupts it.
    for (int i = 0; i < RECEIVERS; i++) {
      receivers.add(Thread.ofVirtual().name("ferry-sqs-receive-" + i).start(() -> receiveLoop(runner, journal)));
    }
  }

  // ------------------------------------------------------------------ receiving

  private void receiveLoop(JobRunner runner, Journal journal) {
    while (!stopping) {
      try {
        int reserved = reserveCapacity();
        if (stopping || reserved == 0) {
          release(reserved);
          break;
        }
        release(reserved - receiveOnce(reserved, runner, journal));
        Duration delay = backoff.nextDelay();
        if (!delay.isZero()) {
          sleeper.sleep(delay);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.error("FERRY-AGENT-0409 the SQS receive loop hit an error; it carries on", e);
        backoff.failure(Backoff.Failure.ERROR);
      }
    }
    log.info("FERRY-AGENT-0402 stopped receiving jobs from SQS");
  }

  /** Receives up to {@code max} messages and starts a worker per customer; returns the workers started. */
  private int receiveOnce(int max, JobRunner runner, Journal journal) {
    List<Message> messages;
    try {
      String url = jobsUrl();
      messages = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(WAIT_SECONDS).maxNumberOfMessages(max)
          .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
              MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
    } catch (SdkException e) {
      failed("receive jobs", e);
      return 0;
    }
    if (connected.getCount() > 0 || backoff.failures() > 0) {
      onReconnect.run();
    }
    backoff.success();
    lastSuccess = clock.instant();
    connected.countDown();
    // In the order received: SQS returns one group's messages in their order.
    Map<String, List<Received>> chains = new LinkedHashMap<>();
    for (Message m : messages) {
      String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
      chains.computeIfAbsent(group == null ? m.messageId() : group, g -> new ArrayList<>()).add(Received.of(m));
    }
    int started = 0;
    for (List<Received> chain : chains.values()) {
      for (Received r : chain) {
        held.put(r.jobId(), new Held(r, chain));
      }
      started++;
      pool.execute(() -> {
        try {
          runChain(chain, runner, journal);
        } finally {
          release(1);
        }
      });
    }
    return started;
  }

  /** Runs a customer's jobs in order; one that did not end stops the chain, so none overtakes it. */
  private void runChain(List<Received> chain, JobRunner runner, Journal journal) {
    for (int i = 0; i < chain.size(); i++) {
      Received r = chain.get(i);
      JobEnvelope job = r.job();
      if (job == null || stopping) {
        giveBack(chain.subList(i, chain.size()));
        return;
      }
      inFlight.incrementAndGet();
      try {
        runner.run(job, receiveCount(r.message()));
      } finally {
        inFlight.decrementAndGet();
      }
      if (journal.find(job.jobId()).map(e -> e.result() == null).orElse(true)) {
        // No durable result (the agent is stopping, the journal cannot be written, or this agent runs the job
        // already under another message): the message comes back after its visibility timeout.
        giveBack(chain.subList(i, chain.size()));
        return;
      }
      held.remove(job.jobId());
      deletes.delete(jobsUrl, new DeleteBatcher.Entry(job.jobId(), r.message().receiptHandle()));
    }
  }

  /** Forgets messages without deleting them: SQS delivers them again when their visibility ends. */
  private void giveBack(List<Received> messages) {
    messages.forEach(r -> held.remove(r.jobId()));
  }

  private static JobEnvelope envelopeOf(Message m) {
    try {
      return JSON.readValue(m.body(), JobEnvelope.class);
    } catch (JsonProcessingException e) {
      // Left alone: after relay.max-attempts receives it moves to the dead-letter queue for the operator.
      log.warn("FERRY-AGENT-0405 message {} is not a job ({}); leaving it to the dead-letter queue", m.messageId(),
          e.getOriginalMessage());
      return null;
    }
  }

  private static int receiveCount(Message m) {
    try {
      return Math.max(1, Integer.parseInt(m.attributes().getOrDefault(
          MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /**
   * Waits for free workers and reserves up to {@link #MAX_MESSAGES} of them for one receive (a receive never takes
   * more messages than there are workers to run them); 0 when stopping.
   */
  private int reserveCapacity() throws InterruptedException {
    synchronized (capacity) {
      while (!stopping && running >= workers) {
        capacity.wait();
      }
      if (stopping) {
        return 0;
      }
      int n = Math.min(MAX_MESSAGES, workers - running);
      running += n;
      return n;
    }
  }

  private void release(int n) {
    if (n == 0) {
      return;
    }
    synchronized (capacity) {
      running -= n;
      capacity.notifyAll();
    }
  }

  // ------------------------------------------------------------------ leases, results, heartbeats

  /**
   * The lease of a running job: its message, and the messages of its customer waiting behind it, stay invisible
   * for three renewal intervals more. For {@link io.ferry.agent.exec.LeaseKeeper}.
   */
  public void renew(JobEnvelope job, int running) throws RelayException {
    Held h = held.get(job.jobId());
    if (h == null) {
      throw RelayException.of(RelayException.Kind.REJECTED, "job " + job.jobId() + " is no longer held", null);
    }
    int seconds = (int) Math.min(43_200, Math.max(1, renewEvery.multipliedBy(3).toSeconds()));
    List<Received> toExtend = h.chain().stream().filter(r -> held.containsKey(r.jobId())).toList();
    try {
      if (toExtend.size() == 1) {
        sqs.changeMessageVisibility(b -> b.queueUrl(jobsUrl).receiptHandle(toExtend.get(0).message().receiptHandle())
            .visibilityTimeout(seconds));
      } else {
        extendTogether(toExtend, seconds);
      }
    } catch (AwsServiceException e) {
      if (e.statusCode() == 400) {
        // The receipt handle is no longer valid: the message became visible and went to another receiver.
        throw RelayException.of(RelayException.Kind.REJECTED, e.awsErrorDetails() == null ? e.getMessage()
            : e.awsErrorDetails().errorMessage(), e);
      }
      throw classify("extend the lease of job " + job.jobId(), e);
    } catch (SdkException e) {
      throw classify("extend the lease of job " + job.jobId(), e);
    }
  }

  /** One request for a chain's messages (a chain holds at most {@link #MAX_MESSAGES}). */
  private void extendTogether(List<Received> chain, int seconds) throws RelayException {
    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(chain.size());
    for (int i = 0; i < chain.size(); i++) {
      entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
          .receiptHandle(chain.get(i).message().receiptHandle()).visibilityTimeout(seconds).build());
    }
    List<BatchResultErrorEntry> failed = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(jobsUrl).entries(entries))
        .failed();
    if (!failed.isEmpty()) {
      // As one by one: a receipt handle no longer valid (the sender's fault) means another receiver has the job.
      BatchResultErrorEntry first = failed.get(0);
      throw RelayException.of(first.senderFault() ? RelayException.Kind.REJECTED : RelayException.Kind.BUSY,
          first.code() + ": " + first.message(), null);
    }
  }

  /** Sends a result to the results queue; for the journal. */
  @Override
  public void sendResult(JobResult result) throws RelayException {
    send(QueuedMessage.result(agentId, result));
  }

  /**
   * Sends the journal's results to the results queue, up to 10 per request. When SQS does not take one, all are
   * sent again later: a result the relay received twice is recorded once.
   */
  @Override
  public List<Fate> sendResults(List<JobResult> results) throws RelayException {
    String url;
    try {
      url = resultsUrl();
    } catch (SdkException e) {
      throw classify("send to " + names.results(), e);
    }
    for (int from = 0; from < results.size(); from += MAX_MESSAGES) {
      List<JobResult> part = results.subList(from, Math.min(results.size(), from + MAX_MESSAGES));
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>(part.size());
      for (int i = 0; i < part.size(); i++) {
        entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
            .messageBody(encode(QueuedMessage.result(agentId, part.get(i)))).build());
      }
      List<BatchResultErrorEntry> failed;
      try {
        failed = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).failed();
      } catch (SdkException e) {
        throw classify("send to " + names.results(), e);
      }
      if (!failed.isEmpty()) {
        BatchResultErrorEntry first = failed.get(0);
        throw RelayException.of(first.senderFault() ? RelayException.Kind.PROTOCOL : RelayException.Kind.BUSY,
            "send to " + names.results() + ": " + first.code() + ": " + first.message(), null);
      }
    }
    return Collections.nCopies(results.size(), Fate.TAKEN);
  }

  private void heartbeat(String agentVersion) {
    try {
      send(QueuedMessage.heartbeat(agentId, agentVersion, backendName, inFlight.get()));
      connected.countDown();
      lastSuccess = clock.instant();
    } catch (RelayException e) {
      log.debug("heartbeat not sent: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("FERRY-AGENT-0406 heartbeat failed unexpectedly", e);
    }
  }

  private static String encode(QueuedMessage message) throws RelayException {
    try {
      return JSON.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw RelayException.of(RelayException.Kind.PROTOCOL, "cannot encode the message", e);
    }
  }

  private void send(QueuedMessage message) throws RelayException {
    String body = encode(message);
    try {
      String url = resultsUrl();
      sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
    } catch (SdkException e) {
      throw classify("send to " + names.results(), e);
    }
  }

  // ------------------------------------------------------------------ queues

  private String jobsUrl() {
    if (jobsUrl == null) {
      jobsUrl = queueUrl(names.jobs());
    }
    return jobsUrl;
  }

  private String resultsUrl() {
    if (resultsUrl == null) {
      resultsUrl = queueUrl(names.results());
    }
    return resultsUrl;
  }

  private String queueUrl(String name) {
    try {
      String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
      waitingLogged = false;
      return url;
    } catch (QueueDoesNotExistException e) {
      if (!waitingLogged) {
        waitingLogged = true;
        log.warn("FERRY-AGENT-0403 SQS queue {} does not exist yet: the relay creates its group's queues when it issues "
            + "an enrollment token or sends the first job; waiting", name);
      }
      throw e;
    }
  }

  private void failed(String what, SdkException e) {
    RelayException r = classify(what, e);
    backoff.failure(r.kind() == RelayException.Kind.BUSY || r.kind() == RelayException.Kind.UNAUTHORIZED
        ? Backoff.Failure.THROTTLED : Backoff.Failure.ERROR);
    if (backoff.failures() == 1 && !(e instanceof QueueDoesNotExistException)) {
      log.warn("FERRY-AGENT-0407 cannot {} ({}); retrying with back-off", what, r.getMessage());
    }
  }

  /** An SQS failure as the kinds the agent already backs off by; never with the credentials in the message. */
  private static RelayException classify(String what, SdkException e) {
    if (e instanceof QueueDoesNotExistException) {
      return RelayException.of(RelayException.Kind.NETWORK, what + ": the queue does not exist yet", e);
    }
    if (e instanceof AwsServiceException s) {
      String detail = s.awsErrorDetails() == null ? s.getMessage() : s.awsErrorDetails().errorCode() + ": "
          + s.awsErrorDetails().errorMessage();
      RelayException.Kind kind = s.statusCode() == 401 || s.statusCode() == 403 ? RelayException.Kind.UNAUTHORIZED
          : s.isThrottlingException() || s.statusCode() >= 500 ? RelayException.Kind.BUSY : RelayException.Kind.PROTOCOL;
      return RelayException.of(kind, what + ": " + detail, e);
    }
    return RelayException.of(RelayException.Kind.NETWORK, what + ": " + e.getMessage(), e);
  }

  // ------------------------------------------------------------------ lifecycle

  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    return connected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Optional<Instant> lastSuccess() {
    return Optional.ofNullable(lastSuccess);
  }

  /** Jobs running now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Receives no more; jobs running finish. Idempotent. */
  public void shutdown() {
    stopping = true;
    synchronized (capacity) {
      capacity.notifyAll();
    }
    sleeper.wakeUp();
    // Ends a receive that waits for messages; messages it got are delivered again.
    receivers.forEach(Thread::interrupt);
    heartbeats.shutdown();
    pool.shutdown();
  }

  /** True when every running job finished in time. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean done = pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    boolean receiving = false;
    for (Thread r : receivers) {
      receiving |= !r.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
    if (!done) {
      log.warn("FERRY-AGENT-0408 {} job(s) still running after {}; their messages become visible again and are "
          + "delivered anew", inFlight(), io.ferry.protocol.Durations.format(timeout));
    }
    return done && !receiving;
  }

  public void shutdownNow() {
    shutdown();
    pool.shutdownNow();
  }

  /** Closes the SQS client; after the journal, which sends through it. */
  @Override
  public void close() {
    shutdownNow();
    sqs.close();
    log.info("SQS requests of this agent by operation: {}", requests.snapshot());
  }
}
