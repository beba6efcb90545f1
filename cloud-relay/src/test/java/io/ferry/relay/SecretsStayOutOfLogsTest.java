package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ferry.protocol.JobEnvelope;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * API keys, webhook secrets, enrollment tokens and agent keys never appear in a log line, whatever happens,
 * whether the line is written as text or as JSON.
 */
class SecretsStayOutOfLogsTest {

  @TempDir
  Path dataDir;

  @Test
  void noSecretIsLoggedDuringAFullRound() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    ((Logger) LoggerFactory.getLogger("io.ferry")).setLevel(ch.qos.logback.classic.Level.DEBUG);
    String metricsToken = "metrics-token-s3cr3t-Kq71Lw0Zp4";
    try (TestRelay relay = TestRelay.start(dataDir,
        c -> c.withMetricsToken(metricsToken).toBuilder().callbackLoopback(true).build())) {
      TestRelay.Tenant tenant = relay.tenant();
      String token = tenant.enrollmentToken();
      FakeAgent agent = FakeAgent.enroll(relay.base(), token);
      // A callback to a port nobody listens on: the failed delivery is logged, its secret and URL are not.
      tenant.engine().post("/v1/customers?callbackUrl=http://127.0.0.1:9/hook-token-s3cr3t", Fixtures.CUSTOMER_JSON,
          "Prefer", "respond-async");
      JobEnvelope job = agent.takeOne();
      agent.succeed(job, Fixtures.created(job.customer(), "0000100001"));
      FakeAgent.enrollRaw(relay.base(), token); // a reused token is refused, and still not logged
      new Engine(relay.base(), tenant.apiKey() + "x").get("/v1/customers/1");
      relay.relay.admin().revokeApiKey(tenant.apiKey());
      // The admin API: an admin key, a key it makes (shown once in the answer), revoked again.
      String adminKey = relay.relay.admin().createApiKey(tenant.id(), java.util.Set.of(io.ferry.relay.auth.Scope.ADMIN),
          null).key();
      Engine admin = new Engine(relay.base(), adminKey);
      Reply made = admin.post("/admin/v1/keys", "{\"scopes\": [\"customers:read\"]}");
      String madeKey = made.json().path("key").asText();
      String madeWebhookSecret = made.json().path("webhookSecret").asText();
      String adminToken = admin.post("/admin/v1/enrollment-tokens", "{\"group\": \"default\"}").json().path("token")
          .asText();
      admin.delete("/admin/v1/keys/" + made.json().path("id").asText());

      Fixtures.await("the callback attempt", java.time.Duration.ofSeconds(10), () -> captured.list.stream()
          .anyMatch(e -> e.getFormattedMessage().contains("callback for job " + job.jobId())));
      assertThat(relay.relay.admin().toString()).doesNotContain(tenant.webhookSecret());
      List<String> secrets = List.of(tenant.apiKey(), token, agent.identity.agentKey(), tenant.webhookSecret(),
          "_hook-token-s3cr3t", adminKey, madeKey, madeWebhookSecret, adminToken, metricsToken);
      // As text, and as JSON lines (`--log-format json`): logback's JsonEncoder with every field switched on,
      // raw arguments and MDC included, a superset of what the CLI's JSON format writes.
      ch.qos.logback.classic.encoder.JsonEncoder json = new ch.qos.logback.classic.encoder.JsonEncoder();
      json.setContext(root.getLoggerContext());
      json.start();
      List<String> lines = new java.util.ArrayList<>();
      for (ILoggingEvent e : List.copyOf(captured.list)) {
        lines.add(e.getFormattedMessage());
        lines.add(new String(json.encode(e), java.nio.charset.StandardCharsets.UTF_8));
      }
      assertThat(lines).isNotEmpty();
      for (String secret : secrets) {
        // The random end of a key (base64url, so it may hold '_' itself); the marker of the short callback URL.
        String secretPart = secret.length() > 24 ? secret.substring(secret.length() - 24)
            : secret.substring(secret.lastIndexOf('_') + 1);
        assertThat(lines).noneMatch(line -> line.contains(secretPart));
      }
    } finally {
      root.detachAppender(captured);
      ((Logger) LoggerFactory.getLogger("io.ferry")).setLevel(ch.qos.logback.classic.Level.INFO);
    }
  }
}
