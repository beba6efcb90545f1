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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The agent's jobs from Amazon SQS instead of the relay's long poll: it receives from its own tenant and group's
 * jobs queue (20 s long polls, up to 10 messages, never more than it has free workers), runs each job with the
 * shared {@link JobRunner} (allowlist, signature, journal, external-id look-up all as in poll transport), keeps
 * a running job's message invisible (the lease), and deletes it once the result is durable in the journal. The
 * journal sends results, and a timer sends heartbeats, to the group's results queue.
 *
 * <p>Messages of one FIFO message group (one customer) received together run one after the other on one
 * worker, in order; the lease of a running job also covers the messages waiting behind it.
 */
public final class SqsIntake implements ResultSender, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SqsIntake.class);
  private static final ObjectMapper JSON = Protocol.json();
  static final int WAIT_SECONDS = 20;
  static final int MAX_MESSAGES = 10;

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
  private Thread receiver;

  /** A received message and the messages of its chain (its customer's, received with it). */
  private record Held(Message message, List<Message> chain) {}

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
    if (receiver != null) {
      return;
    }
    log.info("FERRY-AGENT-0401 receiving jobs from SQS queue {}, results to {}", names.jobs(), names.results());
    heartbeats.scheduleWithFixedDelay(() -> heartbeat(agentVersion), 0, renewEvery.toMillis(), TimeUnit.MILLISECONDS);
    // Virtual: a receive waiting for messages ends at once when shutdown interrupts it.
    receiver = Thread.ofVirtual().name("ferry-sqs-receive").start(() -> receiveLoop(runner, journal));
  }

  // ------------------------------------------------------------------ receiving

  private void receiveLoop(JobRunner runner, Journal journal) {
    while (!stopping) {
      try {
        int free = awaitCapacity();
        if (stopping || free == 0) {
          break;
        }
        receiveOnce(Math.min(MAX_MESSAGES, free), runner, journal);
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

  private void receiveOnce(int max, JobRunner runner, Journal journal) {
    List<Message> messages;
    try {
      String url = jobsUrl();
      messages = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(WAIT_SECONDS).maxNumberOfMessages(max)
          .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
              MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
    } catch (SdkException e) {
      failed("receive jobs", e);
      return;
    }
    if (connected.getCount() > 0 || backoff.failures() > 0) {
      onReconnect.run();
    }
    backoff.success();
    lastSuccess = clock.instant();
    connected.countDown();
    // In the order received: SQS returns one group's messages in their order.
    Map<String, List<Message>> chains = new LinkedHashMap<>();
    for (Message m : messages) {
      String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
      chains.computeIfAbsent(group == null ? m.messageId() : group, g -> new ArrayList<>()).add(m);
    }
    for (List<Message> chain : chains.values()) {
      for (Message m : chain) {
        held.put(jobIdOf(m), new Held(m, chain));
      }
      synchronized (capacity) {
        running++;
      }
      pool.execute(() -> {
        try {
          runChain(chain, runner, journal);
        } finally {
          synchronized (capacity) {
            running--;
            capacity.notifyAll();
          }
        }
      });
    }
  }

  /** Runs a customer's jobs in order; one that did not end stops the chain, so none overtakes it. */
  private void runChain(List<Message> chain, JobRunner runner, Journal journal) {
    for (int i = 0; i < chain.size(); i++) {
      Message m = chain.get(i);
      JobEnvelope job = envelopeOf(m);
      if (job == null || stopping) {
        giveBack(chain.subList(i, chain.size()));
        return;
      }
      inFlight.incrementAndGet();
      try {
        runner.run(job, receiveCount(m));
      } finally {
        inFlight.decrementAndGet();
      }
      if (journal.find(job.jobId()).map(e -> e.result() == null).orElse(true)) {
        // No durable result (the agent is stopping, the journal cannot be written, or this agent runs the job
        // already under another message): the message comes back after its visibility timeout.
        giveBack(chain.subList(i, chain.size()));
        return;
      }
      delete(m, job.jobId());
    }
  }

  /** Forgets messages without deleting them: SQS delivers them again when their visibility ends. */
  private void giveBack(List<Message> messages) {
    messages.forEach(m -> held.remove(jobIdOf(m)));
  }

  private void delete(Message m, String jobId) {
    held.remove(jobId);
    try {
      sqs.deleteMessage(b -> b.queueUrl(jobsUrl).receiptHandle(m.receiptHandle()));
    } catch (SdkException e) {
      // Delivered again later; the journal answers it without calling SAP.
      log.warn("FERRY-AGENT-0404 could not delete the message of job {} ({}); it may be delivered again and is then "
          + "answered from the journal", jobId, e.getMessage());
    }
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

  private static String jobIdOf(Message m) {
    JobEnvelope job = envelopeOf(m);
    return job == null ? "message:" + m.messageId() : job.jobId();
  }

  private static int receiveCount(Message m) {
    try {
      return Math.max(1, Integer.parseInt(m.attributes().getOrDefault(
          MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private int awaitCapacity() throws InterruptedException {
    synchronized (capacity) {
      while (!stopping && running >= workers) {
        capacity.wait();
      }
      return stopping ? 0 : workers - running;
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
    List<Message> toExtend = h.chain().stream().filter(m -> held.containsKey(jobIdOf(m))).toList();
    try {
      for (Message m : toExtend) {
        sqs.changeMessageVisibility(b -> b.queueUrl(jobsUrl).receiptHandle(m.receiptHandle())
            .visibilityTimeout(seconds));
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

  /** Sends a result to the results queue; for the journal. */
  @Override
  public void sendResult(JobResult result) throws RelayException {
    send(QueuedMessage.result(agentId, result));
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

  private void send(QueuedMessage message) throws RelayException {
    String body;
    try {
      body = JSON.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw RelayException.of(RelayException.Kind.PROTOCOL, "cannot encode the message", e);
    }
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
    Thread r = receiver;
    if (r != null) {
      r.interrupt(); // ends a receive that waits for messages; messages it got are delivered again
    }
    heartbeats.shutdown();
    pool.shutdown();
  }

  /** True when every running job finished in time. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean done = pool.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Thread r = receiver;
    if (r != null) {
      r.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
    if (!done) {
      log.warn("FERRY-AGENT-0408 {} job(s) still running after {}; their messages become visible again and are "
          + "delivered anew", inFlight(), io.ferry.protocol.Durations.format(timeout));
    }
    return done && (r == null || !r.isAlive());
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
