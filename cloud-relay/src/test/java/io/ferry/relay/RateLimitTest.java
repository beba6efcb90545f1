package io.ferry.relay;

import static org.assertj.core.api.Assertions.assertThat;

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
    TestClock clock = TestClock.now();
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
      assertThat(refused.header("RateLimit")).isEqualTo("\"default\";r=0;t=60");

      assertThat(relay.tenant().engine().get("/v1/connection").status()).as("another key has its own bucket").isEqualTo(200);
      clock.advance(Duration.ofSeconds(20));
      assertThat(engine.get("/v1/connection").status()).isEqualTo(200);
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
