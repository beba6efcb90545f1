package io.ferry.relay;

import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.admin.RelayAdmin;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** A real relay on a free loopback port, and tenants on it. */
final class TestRelay implements AutoCloseable {

  private static final AtomicInteger TENANTS = new AtomicInteger();

  final RelayConfig config;
  final Relay relay;

  private TestRelay(RelayConfig config, Relay relay) {
    this.config = config;
    this.relay = relay;
  }

  static RelayConfig config(Path dataDir) {
    return RelayConfig.defaults(dataDir)
        .withHost("127.0.0.1")
        .withPort(0)
        .withSyncWindow(Duration.ofSeconds(10))
        .withPollHold(Duration.ofSeconds(2));
  }

  static TestRelay start(Path dataDir, UnaryOperator<RelayConfig> tweak) {
    RelayConfig config = tweak.apply(config(dataDir));
    return new TestRelay(config, Relay.start(config));
  }

  /** With a clock the test moves (idempotency expiry, callback retries, rate limits). */
  static TestRelay start(Path dataDir, UnaryOperator<RelayConfig> tweak, Clock clock) {
    RelayConfig config = tweak.apply(config(dataDir));
    return new TestRelay(config, Relay.start(config, clock));
  }

  /** As {@link #restart()}, the new relay on {@code clock}. */
  TestRelay restart(Clock clock) {
    relay.close();
    return new TestRelay(config, Relay.start(config, clock));
  }

  /** Stops this relay and starts another on the same data directory (and a new free port). */
  TestRelay restart() {
    relay.close();
    return new TestRelay(config, Relay.start(config));
  }

  URI base() {
    return relay.baseUrl();
  }

  /** A fresh tenant, so tests sharing a relay never see each other's jobs. */
  Tenant tenant() {
    String id = relay.admin().createTenant("tenant-" + TENANTS.incrementAndGet());
    RelayAdmin.ApiKey key = relay.admin().createApiKey(id);
    return new Tenant(this, id, key.key(), key.webhookSecret());
  }

  @Override
  public void close() {
    relay.close();
  }

  record Tenant(TestRelay on, String id, String apiKey, String webhookSecret) {

    Engine engine() {
      return new Engine(on.base(), apiKey);
    }

    String enrollmentToken() {
      return on.relay.admin().createEnrollmentToken(id, "default", Duration.ofMinutes(10));
    }

    FakeAgent enrollAgent() {
      return FakeAgent.enroll(on.base(), enrollmentToken());
    }
  }
}
