package io.ferry.cli.command;

import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.sap.odata.ODataSettings;
import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.cli.settings.Keys;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings each role reads, for {@link io.ferry.cli.settings.Settings#load(java.nio.file.Path, Keys)}: a key
 * of a role's namespaces that is not here stops the start. {@code Settings} refuses to read an undeclared key,
 * so a new setting cannot be added without being declared here.
 */
final class Roles {

  private Roles() {}

  /** The {@code sqs.*} settings relay and agent share ({@link SqsSetup}). */
  private static final List<String> SQS = List.of("sqs.region", "sqs.endpoint", "sqs.fifo", "sqs.queue-prefix",
      "sqs.access-key-id", "sqs.secret-access-key");

  static final Keys RELAY = Keys.of("relay", List.of("relay.", "sqs."), with(SQS,
      "relay.host", "relay.port", "relay.data-dir", "relay.public-url",
      "relay.store", "relay.jdbc-url", "relay.db-user", "relay.db-password",
      "relay.sync-window", "relay.poll-hold", "relay.lease-duration", "relay.job-deadline", "relay.agent-offline-after",
      "relay.max-attempts", "relay.max-body-bytes", "relay.rate-limit", "relay.idempotency-retention",
      "relay.changes-retention",
      "relay.batch-parallelism", "relay.batch-max-body-bytes",
      "relay.max-json-depth", "relay.max-header-bytes", "relay.idle-timeout", "relay.max-polls-per-agent",
      "relay.body-timeout", "relay.max-unauthenticated-per-address",
      "relay.callback-private-networks", "relay.callback-loopback",
      "relay.tls.certificate", "relay.tls.key", "relay.tls.keystore", "relay.tls.keystore-password",
      "relay.dispatch", "relay.metrics.token", "relay.log-format"),
      List.of(), List.of());

  static final Keys AGENT = Keys.of("agent", List.of("agent.", "policy.", "sap.", "sqs."), agentKeys(),
      SapSettings.FAMILIES.stream().map(f -> "sap." + f).toList(),
      // Read besides the settings: the enrollment token (ferry agent enroll), the launcher's JVM options, and the
      // SAP passwords, which have their own variables.
      List.of("FERRY_AGENT_TOKEN", "FERRY_AGENT_JAVA_OPTS", SapSettings.PASSWORD_ENV, ODataSettings.CERT_PASSWORD_ENV));

  static final Keys ADMIN = Keys.of("admin client", List.of("admin."), List.of("admin.relay", "admin.key"), List.of(),
      List.of("FERRY_ADMIN_CONFIG"));

  private static List<String> agentKeys() {
    List<String> keys = new ArrayList<>(with(SQS,
        "agent.data-dir", "agent.relay-url", "agent.workers", "agent.transport",
        "agent.connect-timeout", "agent.poll-timeout", "agent.poll-watchdog", "agent.lease-renew-every",
        "agent.catalog-refresh",
        "agent.changes.customers.enabled", "agent.changes.interval", "agent.changes.overlap",
        "agent.backoff-initial", "agent.backoff-max", "agent.shutdown-grace",
        "agent.sap-retry.max-attempts", "agent.sap-retry.initial-backoff", "agent.sap-retry.max-backoff",
        "agent.sap-breaker.failure-threshold", "agent.sap-breaker.cool-down",
        "agent.allow-insecure-http", "agent.tls.ca-file", "agent.tls.pin",
        "agent.proxy.url", "agent.proxy.user", "agent.proxy.password", "agent.proxy.bypass",
        "agent.metrics.port", "agent.metrics.host", "agent.log-format"));
    AgentPolicy.KEYS.forEach(k -> keys.add("policy." + k));
    SapSettings.KEYS.forEach(k -> keys.add("sap." + k));
    return keys;
  }

  private static List<String> with(List<String> shared, String... own) {
    List<String> all = new ArrayList<>(List.of(own));
    all.addAll(shared);
    return all;
  }
}
