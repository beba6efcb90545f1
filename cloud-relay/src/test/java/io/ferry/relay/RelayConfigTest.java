package io.ferry.relay;

import io.ferry.relay.config.RelayConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.relay.store.StoreSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelayConfigTest {

  private final RelayConfig defaults = RelayConfig.defaults(Path.of("data"));

  @Test
  void defaultsAreThoseOfTheArchitecture() {
    assertThat(defaults.host()).isEqualTo("0.0.0.0");
    assertThat(defaults.port()).isEqualTo(8080);
    assertThat(defaults.publicUrl()).isNull();
    assertThat(defaults.syncWindow()).isEqualTo(Duration.ofSeconds(25));
    assertThat(defaults.pollHold()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.leaseDuration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.jobDeadline()).isEqualTo(Duration.ofMinutes(10));
    assertThat(defaults.agentOfflineAfter()).isEqualTo(Duration.ofSeconds(90));
    assertThat(defaults.maxAttempts()).isEqualTo(5);
    assertThat(defaults.maxBodyBytes()).isEqualTo(2L * 1024 * 1024);
    assertThat(defaults.batchParallelism()).isEqualTo(8);
    assertThat(defaults.batchMaxBodyBytes()).isEqualTo(50L * 1024 * 1024);
  }

  @Test
  void changesAreKeptAWeekByDefaultAndTheRetentionIsBounded() {
    assertThat(defaults.changesRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(defaults.describe()).contains("relay.changes-retention=7d");
    assertThat(defaults.withChangesRetention(Duration.ofHours(1)).changesRetention()).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> defaults.withChangesRetention(Duration.ofMinutes(59)))
        .hasMessageContaining("relay.changes-retention must be between 1h and 90d").hasMessageContaining("59m");
    assertThatThrownBy(() -> defaults.withChangesRetention(Duration.ofDays(91)))
        .hasMessageContaining("relay.changes-retention");
    assertThatThrownBy(() -> defaults.withChangesRetention(null)).hasMessageContaining("relay.changes-retention is required");
  }

  @Test
  void theStoreIsSqliteByDefaultAndPostgresNeedsAJdbcUrlAndNeverShowsItsPassword() {
    assertThat(defaults.store()).isEqualTo(StoreSettings.SQLITE);
    assertThat(defaults.describe()).contains("relay.store=sqlite");
    assertThatThrownBy(() -> StoreSettings.postgres(null, "ferry", null))
        .hasMessageStartingWith("relay.store is postgres but relay.jdbc-url is not set");
    assertThatThrownBy(() -> StoreSettings.postgres("jdbc:mysql://db/ferry", "ferry", null))
        .hasMessageStartingWith("relay.jdbc-url must start with jdbc:postgresql://");
    assertThatThrownBy(() -> new StoreSettings(StoreSettings.Kind.SQLITE, "jdbc:postgresql://db/ferry", null, null))
        .hasMessageStartingWith("relay.jdbc-url is set but relay.store is sqlite");
    assertThatThrownBy(() -> StoreSettings.Kind.fromSetting("mysql"))
        .hasMessageStartingWith("relay.store must be sqlite");
    assertThatThrownBy(() -> defaults.toBuilder().store(null).build()).hasMessageStartingWith("relay.store is required");

    RelayConfig pg = defaults.toBuilder()
        .store(StoreSettings.postgres("jdbc:postgresql://db:5432/ferry?password=in-the-url", "ferry", "s3cret-pw"))
        .build();
    assertThat(pg.describe()).contains("relay.store=postgres", "relay.jdbc-url=jdbc:postgresql://db:5432/ferry?…",
        "relay.db-user=ferry", "relay.db-password=****").doesNotContain("s3cret-pw", "in-the-url");
    assertThat(pg.toString()).doesNotContain("s3cret-pw", "in-the-url");
  }

  @Test
  void abuseLimitsHaveTheirDefaultsAndNameThemselves() {
    assertThat(defaults.limits()).isEqualTo(new RelayConfig.Limits(32, 16 * 1024, Duration.ofSeconds(30), 2,
        Duration.ofSeconds(30), 32));
    assertThatThrownBy(() -> defaults.withMaxJsonDepth(2))
        .hasMessage("relay.max-json-depth must be between 4 and 1000 levels of nesting, was 2");
    assertThatThrownBy(() -> defaults.withMaxHeaderBytes(100))
        .hasMessage("relay.max-header-bytes must be between 1024 (1 KB) and 1048576 (1 MB), was 100");
    assertThatThrownBy(() -> defaults.withIdleTimeout(Duration.ofMillis(10)))
        .hasMessageStartingWith("relay.idle-timeout must be between 1s and 10m");
    assertThatThrownBy(() -> defaults.withMaxPollsPerAgent(0))
        .hasMessage("relay.max-polls-per-agent must be between 1 and 100 polls in progress, was 0");
    assertThatThrownBy(() -> defaults.withBodyTimeout(Duration.ofMillis(500)))
        .hasMessageStartingWith("relay.body-timeout must be between 1s and 10m");
    assertThatThrownBy(() -> defaults.withMaxUnauthenticatedPerAddress(0))
        .hasMessage("relay.max-unauthenticated-per-address must be between 1 and 100000 requests in progress, was 0");
    // A setting changed keeps the others.
    assertThat(defaults.withBodyTimeout(Duration.ofSeconds(5)).withMaxJsonDepth(8).limits().bodyTimeout())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.describe()).contains("relay.max-json-depth=32", "relay.max-header-bytes=16384",
        "relay.idle-timeout=30s", "relay.max-polls-per-agent=2", "relay.body-timeout=30s",
        "relay.max-unauthenticated-per-address=32");
  }

  @Test
  void batchSettingsNameThemselvesTheRangeAndTheBadValue() {
    assertThatThrownBy(() -> defaults.withBatchParallelism(0))
        .hasMessage("relay.batch-parallelism must be between 1 and 256 records in flight per batch, was 0");
    assertThatThrownBy(() -> defaults.withBatchMaxBodyBytes(1L << 30))
        .hasMessage("relay.batch-max-body-bytes must be between 1024 (1 KB) and 536870912 (512 MB), was 1073741824");
    assertThat(defaults.describe()).contains("relay.batch-parallelism=8", "relay.batch-max-body-bytes=52428800");
  }

  @Test
  void messagesNameTheSettingTheRangeAndTheBadValue() {
    assertThatThrownBy(() -> defaults.withPollHold(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("relay.poll-hold must be between 1s and 2m, was 500ms");
    assertThatThrownBy(() -> defaults.withPort(70_000))
        .hasMessage("relay.port must be between 0 and 65535 (0 picks a free port), was 70000");
    assertThatThrownBy(() -> defaults.withLeaseDuration(Duration.ZERO))
        .hasMessageStartingWith("relay.lease-duration must be between 1s and 1h, was 0s");
    assertThatThrownBy(() -> defaults.withMaxAttempts(0))
        .hasMessage("relay.max-attempts must be between 1 and 100, was 0");
    assertThatThrownBy(() -> defaults.withMaxBodyBytes(10))
        .hasMessageStartingWith("relay.max-body-bytes must be between 1024");
    assertThatThrownBy(() -> defaults.withSyncWindow(Duration.ofSeconds(200)))
        .hasMessageContaining("relay.sync-window").hasMessageContaining("200s");
    assertThatThrownBy(() -> defaults.withHost(" "))
        .hasMessageStartingWith("relay.host must not be empty");
    assertThatThrownBy(() -> defaults.withDataDir(null))
        .hasMessageStartingWith("relay.data-dir is required");
    assertThatThrownBy(() -> defaults.withPublicUrl(URI.create("relay.example.com")))
        .hasMessage("relay.public-url must be an absolute http or https URL such as https://relay.example.com, "
            + "was relay.example.com");
  }

  @Test
  void crossFieldRulesNameBothSettings() {
    assertThatThrownBy(() -> defaults.withJobDeadline(Duration.ofSeconds(20)))
        .hasMessageStartingWith("relay.sync-window (25s) must be shorter than relay.job-deadline (20s)");
    assertThatThrownBy(() -> defaults.withAgentOfflineAfter(Duration.ofSeconds(30)))
        .hasMessageStartingWith("relay.agent-offline-after (30s) must be longer than relay.poll-hold (30s)");
  }

  @Test
  void theEffectiveConfigurationIsOneLineWithEverySetting() {
    String line = defaults.withPublicUrl(URI.create("https://relay.example.com")).describe();
    assertThat(line).doesNotContain("\n")
        .contains("relay.host=0.0.0.0", "relay.port=8080", "relay.public-url=https://relay.example.com",
            "relay.sync-window=25s", "relay.poll-hold=30s", "relay.lease-duration=60s", "relay.job-deadline=10m",
            "relay.agent-offline-after=90s", "relay.max-attempts=5", "relay.max-body-bytes=2097152");
  }

  @Test
  void sqsDispatchNeedsItsQueueSettingsAndNeverShowsTheSecret() {
    assertThat(defaults.dispatch()).isEqualTo(RelayConfig.Dispatch.POLL);
    assertThat(defaults.describe()).contains("relay.dispatch=poll");
    assertThatThrownBy(() -> defaults.withDispatch(new RelayConfig.Dispatch(RelayConfig.Dispatch.Mode.SQS, null)))
        .hasMessageStartingWith("relay.dispatch=sqs needs the queue settings: at least sqs.region");

    RelayConfig sqs = defaults.withDispatch(RelayConfig.Dispatch.sqs(io.ferry.sqs.SqsSettings.defaults("eu-central-1")
        .withCredentials("AKIAEXAMPLE12345", "Sqs-S3cret-77")));
    assertThat(sqs.describe()).contains("relay.dispatch=sqs", "sqs.region=eu-central-1", "sqs.fifo=true")
        .doesNotContain("Sqs-S3cret-77").doesNotContain("AKIAEXAMPLE12345");
    assertThat(sqs.toString()).doesNotContain("Sqs-S3cret-77");
  }
}
