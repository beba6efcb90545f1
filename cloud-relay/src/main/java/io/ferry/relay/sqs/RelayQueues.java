package io.ferry.relay.sqs;

import io.ferry.sqs.QueueNames;
import io.ferry.sqs.SqsSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The queues of each tenant's agent group, created by the relay (agents only use them): the jobs queue
 * with its redrive policy to the dead-letter queue after relay.max-attempts receives, and the results queue.
 * Creating is idempotent; the attributes that may change (visibility, retention, redrive) are set every time,
 * so a changed relay.max-attempts reaches queues made before.
 */
final class RelayQueues {

  private static final Logger LOG = LoggerFactory.getLogger(RelayQueues.class);
  /** SQS keeps a message 14 days at most: as long as a dead letter may wait for an operator. */
  private static final Duration DEAD_RETENTION = Duration.ofDays(14);
  /**
   * How long a result or dead letter a relay received stays hidden from the other relays. Recording one takes
   * milliseconds; a message taken by a receive its relay abandoned (a stop, a crash) comes back this soon, and
   * a message handled twice is recorded once.
   */
  static final Duration HANDLING_VISIBILITY = Duration.ofSeconds(5);

  /** The URLs of one group's queues. */
  record Urls(String tenantId, String agentGroup, QueueNames names, String jobs, String dead, String results) {}

  private final SqsClient sqs;
  private final SqsSettings settings;
  private final Duration visibility;
  private final Duration retention;
  private final int maxReceives;
  private final Map<String, Urls> byGroup = new ConcurrentHashMap<>();
  private final Consumer<Urls> created;

  /**
   * @param visibility the jobs queue's visibility timeout: the lease an agent holds on a received job
   * @param retention how long a job message waits to be received: the job deadline
   * @param maxReceives receives before a job message moves to the dead-letter queue (relay.max-attempts)
   * @param created told of each group's queues the first time this relay made sure of them
   */
  RelayQueues(SqsClient sqs, SqsSettings settings, Duration visibility, Duration retention, int maxReceives,
      Consumer<Urls> created) {
    this.sqs = sqs;
    this.settings = settings;
    this.visibility = visibility;
    this.retention = retention;
    this.maxReceives = maxReceives;
    this.created = created;
  }

  /** The group's queues, created on first use. */
  Urls of(String tenantId, String agentGroup) {
    Urls urls = byGroup.get(key(tenantId, agentGroup));
    if (urls != null) {
      return urls;
    }
    Urls made = create(tenantId, agentGroup);
    Urls earlier = byGroup.putIfAbsent(key(tenantId, agentGroup), made);
    if (earlier != null) {
      return earlier;
    }
    created.accept(made);
    return made;
  }

  /** The groups whose queues this relay made sure of. */
  List<Urls> known() {
    return List.copyOf(byGroup.values());
  }

  private Urls create(String tenantId, String agentGroup) {
    QueueNames names = settings.queues(tenantId, agentGroup);
    String dead = ensure(names.dead(), Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, seconds(DEAD_RETENTION),
        QueueAttributeName.VISIBILITY_TIMEOUT, seconds(HANDLING_VISIBILITY)));
    String deadArn = sqs.getQueueAttributes(b -> b.queueUrl(dead).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    String jobs = ensure(names.jobs(), Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, seconds(visibility),
        QueueAttributeName.MESSAGE_RETENTION_PERIOD, seconds(clamp(retention, Duration.ofMinutes(1), DEAD_RETENTION)),
        QueueAttributeName.REDRIVE_POLICY,
        "{\"deadLetterTargetArn\":\"" + deadArn + "\",\"maxReceiveCount\":\"" + maxReceives + "\"}"));
    String results = ensure(names.results(), Map.of(QueueAttributeName.VISIBILITY_TIMEOUT,
        seconds(HANDLING_VISIBILITY)));
    LOG.info("SQS queues of tenant {} group {}: {}, {}, {}", tenantId, agentGroup, names.jobs(), names.dead(),
        names.results());
    return new Urls(tenantId, agentGroup, names, jobs, dead, results);
  }

  private String ensure(String name, Map<QueueAttributeName, String> attributes) {
    Map<QueueAttributeName, String> fixed = new HashMap<>();
    if (name.endsWith(".fifo")) {
      fixed.put(QueueAttributeName.FIFO_QUEUE, "true");
      fixed.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false");
    }
    String url = sqs.createQueue(b -> b.queueName(name).attributes(fixed)).queueUrl();
    sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(attributes));
    return url;
  }

  private static String key(String tenantId, String agentGroup) {
    return tenantId + "\u0000" + agentGroup;
  }

  private static Duration clamp(Duration d, Duration min, Duration max) {
    return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
  }

  private static String seconds(Duration d) {
    return Long.toString(Math.max(0, (d.toMillis() + 999) / 1000));
  }
}
