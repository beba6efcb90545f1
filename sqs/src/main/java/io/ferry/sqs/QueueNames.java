package io.ferry.sqs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The queues of one tenant's agent group, named from the tenant and the group alone, so relay and agent
 * derive the same names and an IAM policy can grant an agent its own queues by name:
 * <pre>
 *   {prefix}-{tenant}-{group}-jobs[.fifo]   the relay sends jobs, the agent receives them
 *   {prefix}-{tenant}-{group}-dead[.fifo]   jobs received relay.max-attempts times without an end
 *   {prefix}-{tenant}-{group}-results       the agent sends results and heartbeats, the relays receive them
 * </pre>
 * A tenant id that is not 1 to 26 letters and digits (Ferry's tenant ids are 26-character ULIDs), and a group
 * that is not 1 to 16 letters, digits, '-' or '_', is replaced by a short hash, so every name stays within
 * SQS's 80 characters.
 */
public record QueueNames(String jobs, String dead, String results) {

  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9]{1,26}");
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_-]{1,16}");
  static final String JOBS = "-jobs";
  static final String DEAD = "-dead";
  static final String RESULTS = "-results";
  static final String FIFO = ".fifo";

  public static QueueNames of(String prefix, String tenantId, String agentGroup, boolean fifo) {
    String base = prefix + "-" + tenantPart(tenantId) + "-" + groupPart(agentGroup);
    String suffix = fifo ? FIFO : "";
    return new QueueNames(base + JOBS + suffix, base + DEAD + suffix, base + RESULTS);
  }

  /** Which of a tenant's queues a name is, by its ending. */
  public enum Kind { JOBS, DEAD, RESULTS }

  /** The kind of a queue named by {@link #of}; empty for any other name. */
  public static Optional<Kind> kindOf(String queueName) {
    String n = queueName.endsWith(FIFO) ? queueName.substring(0, queueName.length() - FIFO.length()) : queueName;
    if (n.endsWith(JOBS)) {
      return Optional.of(Kind.JOBS);
    }
    if (n.endsWith(DEAD)) {
      return Optional.of(Kind.DEAD);
    }
    if (n.endsWith(RESULTS) && !queueName.endsWith(FIFO)) {
      return Optional.of(Kind.RESULTS);
    }
    return Optional.empty();
  }

  /**
   * The tenant id in a queue name made by {@link #of} with {@code prefix}, when the name holds it as it is
   * (not hashed); empty otherwise.
   */
  public static Optional<String> tenantOf(String prefix, String queueName) {
    if (!queueName.startsWith(prefix + "-")) {
      return Optional.empty();
    }
    String rest = queueName.substring(prefix.length() + 1);
    int dash = rest.indexOf('-');
    if (dash < 1) {
      return Optional.empty();
    }
    String tenant = rest.substring(0, dash);
    return tenant.startsWith("h") && tenant.length() == 17 ? Optional.empty() : Optional.of(tenant);
  }

  static String tenantPart(String tenantId) {
    if (TENANT.matcher(tenantId).matches() && !(tenantId.length() == 17 && tenantId.startsWith("h"))) {
      return tenantId;
    }
    return "h" + hash(tenantId, 16);
  }

  static String groupPart(String agentGroup) {
    if (GROUP.matcher(agentGroup).matches()) {
      return agentGroup;
    }
    String readable = agentGroup.replaceAll("[^A-Za-z0-9_-]", "_");
    return readable.substring(0, Math.min(7, readable.length())) + "_" + hash(agentGroup, 8);
  }

  private static String hash(String s, int hexChars) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, hexChars);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
