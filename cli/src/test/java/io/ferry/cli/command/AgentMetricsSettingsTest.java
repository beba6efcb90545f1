package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.agent.metrics.MetricsSettings;
import io.ferry.cli.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agent.metrics.* and --metrics-port: off unless set, loopback unless told otherwise. */
class AgentMetricsSettingsTest {

  @TempDir Path dir;

  @Test
  void offUnlessAPortIsGiven() {
    assertThat(AgentSetup.metrics(Settings.load(null, k -> null), null)).isEqualTo(MetricsSettings.OFF);
  }

  @Test
  void aPortFromFileEnvironmentOrFlagListensOnLoopback() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.properties"), "agent.metrics.port=9464\n");
    assertThat(AgentSetup.metrics(Settings.load(file, k -> null), null))
        .isEqualTo(new MetricsSettings(true, "127.0.0.1", 9464));
    Map<String, String> env = Map.of("FERRY_AGENT_METRICS_PORT", "9500");
    assertThat(AgentSetup.metrics(Settings.load(file, env::get), null).port()).isEqualTo(9500);
    assertThat(AgentSetup.metrics(Settings.load(file, env::get), 9600).port()).as("the flag wins").isEqualTo(9600);
  }

  @Test
  void anotherAddressOnlyWhenNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.properties"),
        "agent.metrics.port=9464\nagent.metrics.host=0.0.0.0\n");
    assertThat(AgentSetup.metrics(Settings.load(file, k -> null), null).host()).isEqualTo("0.0.0.0");
  }

  @Test
  void anInvalidPortNamesTheSetting() throws Exception {
    Path zero = Files.writeString(dir.resolve("zero.properties"), "agent.metrics.port=0\n");
    assertThatThrownBy(() -> AgentSetup.metrics(Settings.load(zero, k -> null), null))
        .hasMessageContaining("agent.metrics.port must be between 1 and 65535");
    Path word = Files.writeString(dir.resolve("word.properties"), "agent.metrics.port=many\n");
    assertThatThrownBy(() -> AgentSetup.metrics(Settings.load(word, k -> null), null))
        .hasMessageContaining("agent.metrics.port must be a whole number");
  }
}
