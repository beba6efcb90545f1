package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.agent.AgentConfig;
import io.ferry.cli.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agent.transport and the sqs.* settings as an operator writes them in the agent's configuration file. */
class SqsSettingsCommandTest {

  @TempDir Path dir;

  @Test
  void anAgentConfiguredForSqsGetsItsQueueSettingsWithTheSecretMasked() throws Exception {
    Path config = Files.writeString(dir.resolve("agent.properties"), String.join("\n",
        "agent.transport=sqs", "sqs.region=eu-central-1", "sqs.queue-prefix=ferry-prod", "sqs.fifo=true",
        "sqs.endpoint=https://sqs.eu-central-1.amazonaws.com",
        "sqs.access-key-id=AKIAEXAMPLE12345", "sqs.secret-access-key=Sqs-S3cret-77", ""));
    Settings s = Settings.load(config, k -> null);

    AgentConfig cfg = AgentSetup.config(s, dir, "https://relay.example.com", null, null, k -> null);

    assertThat(cfg.transport().mode()).isEqualTo(AgentConfig.Transport.Mode.SQS);
    assertThat(cfg.transport().sqs().queues("01M7ZAPZKD9D5TA6PSM77H0MJS", "default").jobs())
        .isEqualTo("ferry-prod-01M7ZAPZKD9D5TA6PSM77H0MJS-default-jobs.fifo");
    assertThat(String.join("\n", cfg.describe())).doesNotContain("Sqs-S3cret-77");
  }

  @Test
  void theTransportFlagWinsAndAMissingRegionIsNamed() throws Exception {
    Settings none = Settings.load(null, k -> null);
    assertThat(AgentSetup.config(none, dir, "https://relay.example.com", null, null, k -> null).transport())
        .isEqualTo(AgentConfig.Transport.STREAM);
    assertThat(AgentSetup.config(none, dir, "https://relay.example.com", null, null, k -> null, "poll").transport())
        .isEqualTo(AgentConfig.Transport.POLL);
    assertThatThrownBy(() -> AgentSetup.config(none, dir, "https://relay.example.com", null, null, k -> null, "sqs"))
        .hasMessageContaining("sqs.region");
    assertThatThrownBy(() -> AgentSetup.config(none, dir, "https://relay.example.com", null, null, k -> null, "kafka"))
        .hasMessage("agent.transport must be stream, poll or sqs, was 'kafka'");
  }
}
