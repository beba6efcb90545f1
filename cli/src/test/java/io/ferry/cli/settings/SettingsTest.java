package io.ferry.cli.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  @TempDir Path dir;

  @Test
  void aFlagWinsOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.properties"), "agent.workers=2\nagent.data-dir=/from/file\nsap.jco.jco.client.user=U\n");
    Map<String, String> env = Map.of("FERRY_AGENT_WORKERS", "3");
    Settings s = Settings.load(file, env::get);

    assertThat(s.getInt("agent.workers", 5, 4)).isEqualTo(5);
    assertThat(s.getInt("agent.workers", null, 4)).isEqualTo(3);
    assertThat(s.get("agent.data-dir", null, "/default")).isEqualTo("/from/file");
    assertThat(s.get("agent.relay-url", null, "https://default")).isEqualTo("https://default");
    assertThat(s.section("sap.")).containsEntry("jco.jco.client.user", "U");
  }

  @Test
  void environmentNamesFollowTheKeys() {
    assertThat(Settings.envName("agent.relay-url")).isEqualTo("FERRY_AGENT_RELAY_URL");
  }

  @Test
  void durationsInBothNotations() {
    assertThat(Durations.parse("x", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("x", "10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("x", "PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> Durations.parse("relay.lease", "soon")).hasMessageContaining("relay.lease");
  }

  @Test
  void aNonNumberIsNamed() {
    Settings s = Settings.load(null, Map.of("FERRY_AGENT_WORKERS", "four")::get);
    assertThatThrownBy(() -> s.getInt("agent.workers", null, 4)).hasMessageContaining("agent.workers").hasMessageContaining("four");
  }
}
