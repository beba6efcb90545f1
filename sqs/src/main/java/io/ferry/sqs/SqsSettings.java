package io.ferry.sqs;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How relay and agent reach Amazon SQS (or an SQS-compatible server), validated when built. Relay and agent
 * use the same names for the same queues, so the settings that shape a name (prefix, FIFO) must agree on both.
 *
 * @param queuePrefix the first part of every queue name ({@code sqs.queue-prefix}), e.g. {@code ferry-prod}
 * @param region the AWS region ({@code sqs.region}), e.g. {@code eu-central-1}
 * @param endpoint an endpoint override for SQS-compatible servers or VPC endpoints ({@code sqs.endpoint}); null
 *     for the region's public endpoint
 * @param fifo FIFO queues ({@code sqs.fifo}, the default): changes of one customer never overtake each other;
 *     false for standard queues where order does not matter (more throughput, no ordering)
 * @param accessKeyId an explicit access key id ({@code sqs.access-key-id}); null for the AWS default credentials
 *     chain (environment, profile, container or instance role)
 * @param secretAccessKey its secret ({@code sqs.secret-access-key}); never logged
 */
public record SqsSettings(String queuePrefix, String region, URI endpoint, boolean fifo, String accessKeyId,
    String secretAccessKey) {

  /** Queue names allow letters, digits, '-' and '_'; the prefix leaves room for tenant and group (80 in all). */
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,20}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
  public static final String DEFAULT_PREFIX = "ferry";

  public SqsSettings {
    List<String> problems = new ArrayList<>();
    if (queuePrefix == null || !PREFIX.matcher(queuePrefix).matches()) {
      problems.add("sqs.queue-prefix must be 1 to 20 letters, digits, '-' or '_' (it starts every queue name), was "
          + quote(queuePrefix));
    }
    if (region == null || !REGION.matcher(region).matches()) {
      problems.add("sqs.region must be an AWS region such as eu-central-1, was " + quote(region));
    }
    if (endpoint != null && (!endpoint.isAbsolute() || endpoint.getHost() == null
        || !("https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme())))) {
      problems.add("sqs.endpoint must be an http or https URL with a host, such as https://sqs.eu-central-1.amazonaws.com, was "
          + endpoint);
    }
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      problems.add("sqs.access-key-id and sqs.secret-access-key go together: set both, or neither to use the AWS "
          + "default credentials chain");
    } else if (accessKeyId != null && (accessKeyId.isBlank() || secretAccessKey.isBlank())) {
      problems.add("sqs.access-key-id and sqs.secret-access-key must not be empty");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** FIFO queues named {@code ferry-…}, in {@code region}, credentials from the AWS default chain. */
  public static SqsSettings defaults(String region) {
    return new SqsSettings(DEFAULT_PREFIX, region, null, true, null, null);
  }

  public SqsSettings withEndpoint(URI v) {
    return new SqsSettings(queuePrefix, region, v, fifo, accessKeyId, secretAccessKey);
  }

  public SqsSettings withQueuePrefix(String v) {
    return new SqsSettings(v, region, endpoint, fifo, accessKeyId, secretAccessKey);
  }

  public SqsSettings withFifo(boolean v) {
    return new SqsSettings(queuePrefix, region, endpoint, v, accessKeyId, secretAccessKey);
  }

  public SqsSettings withCredentials(String keyId, String secret) {
    return new SqsSettings(queuePrefix, region, endpoint, fifo, keyId, secret);
  }

  /** The queue names of a tenant's agent group under these settings. */
  public QueueNames queues(String tenantId, String agentGroup) {
    return QueueNames.of(queuePrefix, tenantId, agentGroup, fifo);
  }

  /** The settings as one log line: the secret masked, the key id shortened. */
  public String describe() {
    return "sqs.queue-prefix=" + queuePrefix
        + " sqs.region=" + region
        + " sqs.endpoint=" + (endpoint == null ? "(the region's)" : endpoint)
        + " sqs.fifo=" + fifo
        + " sqs.credentials=" + (accessKeyId == null ? "(AWS default chain)"
            : "access key " + mask(accessKeyId) + ", secret ****");
  }

  @Override
  public String toString() {
    return "SqsSettings[" + describe() + "]";
  }

  /** The first 4 characters of a key id are enough to tell keys apart in a log. */
  private static String mask(String keyId) {
    return keyId.length() <= 4 ? "****" : keyId.substring(0, 4) + "****";
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }

  /** For messages elsewhere that refer to the lease a message gets. */
  public static final Duration MAX_VISIBILITY = Duration.ofHours(12);
}
