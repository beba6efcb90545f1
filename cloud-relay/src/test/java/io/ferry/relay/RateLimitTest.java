package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests per minute and API key, advertised in RateLimit headers; time is moved, not waited for. */
class RateLimitTest {

  @TempDir
  Path dataDir;

  @Test
  void overTheLimitIs429WithRetryAfterAndTheKeyRecoversAsTokensReturn() {
    ManualClock clock = ManualClock.now();
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withRateLimit(3), clock)) {
      TestRelay.Tenant tenant = relay.tenant();
      Engine engine = tenant.engine();

      for (int remaining = 2; remaining >= 0; remaining--) {
        Reply ok = engine.get("/v1/connection");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("RateLimit-Policy")).isEqualTo("\"default\";q=3;w=60");
        assertThat(ok.header("RateLimit")).startsWith("\"default\";r=" + remaining + ";t=");
      }
      Reply refused = engine.get("/v1/connection");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.problem().code()).isEqualTo("FERRY-RELAY-0205");
      assertThat(refused.problem().retryable()).isTrue();
      assertThat(refused.header("Retry-After")).isEqualTo("20"); // 3 per minute: one token every 20 s
      assertThat(refused.header("RateLimit")).as("agrees with Retry-After").isEqualTo("\"default\";r=0;t=20");

      assertThat(relay.tenant().engine().get("/v1/connection").status()).as("another key has its own bucket").isEqualTo(200);
      clock.advance(Duration.ofSeconds(20));
      assertThat(engine.get("/v1/connection").status()).isEqualTo(200);
    }
  }

  /**
   * Issue 15: the README promises RateLimit headers on every answer to an engine; the refusals the relay
   * makes itself (a bad body, a wrong content type, a body over the limit) and the async answers carry them too.
   */
  @Test
  void everyAnswerToAnAuthenticatedEngineRequestCarriesTheRateLimitHeaders() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withRateLimit(100))) {
      Engine engine = relay.tenant().engine();
      java.util.Map<String, Reply> answers = new java.util.LinkedHashMap<>();
      answers.put("200", engine.get("/v1/connection"));
      answers.put("422", engine.post("/v1/customers", "{\"name\":\"\"}"));
      answers.put("400", engine.post("/v1/customers", "{\"name\":"));
      answers.put("415", engine.postBody("/v1/customers", "name=x", "application/x-www-form-urlencoded"));
      answers.put("413", engine.postBody("/v1/customers", "{\"name\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}",
          "application/json"));
      answers.put("503", engine.post("/v1/customers", Fixtures.CUSTOMER_JSON));
      answers.put("404", engine.get("/v1/operations/00000000-0000-0000-0000-000000000000"));
      answers.forEach((status, reply) -> {
        assertThat(reply.status()).as(status).isEqualTo(Integer.parseInt(status));
        assertThat(reply.header("RateLimit-Policy")).as(status).isEqualTo("\"default\";q=100;w=60");
        assertThat(reply.header("RateLimit")).as(status).startsWith("\"default\";r=");
      });
      assertThat(answers.get("413").problem().detail()).contains("2097152 bytes", "relay.max-body-bytes");
    }
  }

  @Test
  void zeroSwitchesItOff() {
    try (TestRelay relay = TestRelay.start(dataDir, c -> c.withRateLimit(0))) {
      Reply ok = relay.tenant().engine().get("/v1/connection");
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.header("RateLimit")).isNull();
      assertThat(ok.json().get("agentOnline").asBoolean()).isFalse();
    }
  }
}
