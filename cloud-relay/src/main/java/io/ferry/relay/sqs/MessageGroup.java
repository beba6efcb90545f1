package io.ferry.relay.sqs;

import io.ferry.protocol.JobEnvelope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The FIFO message group of a job: the customer it is about, so SQS hands an agent the changes of one customer
 * one after the other, in the order the relay queued them, while other customers' jobs run in parallel. A
 * customer is named by its number (read, update) or by the caller's external id (create, upsert); a job that
 * names neither (a search, a create without external id) is a group of its own.
 */
final class MessageGroup {

  /** What SQS allows in a group id: 1 to 128 printable ASCII characters without space. */
  private static final Pattern ALLOWED = Pattern.compile("[\\x21-\\x7E]{1,120}");

  private MessageGroup() {}

  static String of(JobEnvelope job) {
    if (job.customerNumber() != null && !job.customerNumber().isBlank()) {
      return "customer:" + safe(job.customerNumber().strip());
    }
    if (job.customer() != null && job.customer().externalId() != null && !job.customer().externalId().isBlank()) {
      return "external:" + safe(job.customer().externalId().strip());
    }
    if (job.action().carriesPayload()) {
      // Each object names which of its jobs run one after the other (two creates of one order, …).
      var key = io.ferry.relay.objects.BusinessObject.of(job.action()).groupKey(job.payload());
      if (key.isPresent()) {
        return safe(key.get());
      }
    }
    return "job:" + job.jobId();
  }

  /** A key SQS would refuse (too long, spaces, non-ASCII) is replaced by its hash: the same key, the same group. */
  private static String safe(String key) {
    if (ALLOWED.matcher(key).matches()) {
      return key;
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
