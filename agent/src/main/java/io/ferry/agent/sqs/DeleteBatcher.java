package io.ferry.agent.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * Deletes finished jobs' messages, up to 10 per request. A worker whose job ended queues its message and, if no
 * delete is on the wire, sends what is queued itself; otherwise it returns at once and the worker sending takes
 * its message in the next request. At one job at a time that is one request per message, sent at once; when
 * busy, the messages that finished during one request go in the next. No timer, so no added wait.
 *
 * <p>A delete that fails is only logged: the message comes back after its visibility timeout and the journal
 * answers it without calling SAP. The SDK's batch manager would do the batching, but needs the asynchronous client
 * (Netty) and sends a part-full batch only on a timer (200 ms by default).
 */
final class DeleteBatcher {

  private static final Logger log = LoggerFactory.getLogger(DeleteBatcher.class);
  static final int MAX_BATCH = 10;

  /** A message to delete, and its job for the log. */
  record Entry(String jobId, String receiptHandle) {}

  private final SqsClient sqs;
  private final ConcurrentLinkedQueue<Entry> queued = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();

  DeleteBatcher(SqsClient sqs) {
    this.sqs = sqs;
  }

  /** Deletes the message now, or has the delete on the wire take it along next. */
  void delete(String queueUrl, Entry entry) {
    queued.add(entry);
    // Re-checked after releasing: a message queued while this thread sent is not left behind.
    while (!queued.isEmpty() && sending.compareAndSet(false, true)) {
      try {
        List<Entry> batch = new ArrayList<>(MAX_BATCH);
        Entry next;
        while (batch.size() < MAX_BATCH && (next = queued.poll()) != null) {
          batch.add(next);
        }
        if (!batch.isEmpty()) {
          send(queueUrl, batch);
        }
      } finally {
        sending.set(false);
      }
    }
  }

  private void send(String queueUrl, List<Entry> batch) {
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
          .receiptHandle(batch.get(i).receiptHandle()).build());
    }
    try {
      for (BatchResultErrorEntry failed : sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).failed()) {
        notDeleted(batch.get(Integer.parseInt(failed.id())).jobId(), failed.code() + ": " + failed.message());
      }
    } catch (SdkException e) {
      batch.forEach(entry -> notDeleted(entry.jobId(), e.getMessage()));
    }
  }

  private static void notDeleted(String jobId, String why) {
    // Delivered again later; the journal answers it without calling SAP.
    log.warn("FERRY-AGENT-0404 could not delete the message of job {} ({}); it may be delivered again and is then "
        + "answered from the journal", jobId, why);
  }
}
