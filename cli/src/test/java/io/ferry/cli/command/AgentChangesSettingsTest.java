package io.ferry.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.agent.changes.ChangeSettings;
import io.ferry.cli.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** agent.changes.* and sap.time-zone: off by default, read as written, refused with the setting's name. */
class AgentChangesSettingsTest {

  @TempDir Path dir;

  @Test
  void offByDefault() {
    assertThat(AgentSetup.changes(Settings.load(null, k -> null), ChangeSettings.OFF)).isEqualTo(ChangeSettings.OFF);
  }

  @Test
  void readFromTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.properties"), "agent.changes.customers.enabled=true\n"
        + "agent.changes.interval=30s\nagent.changes.overlap=10m\nsap.time-zone=Europe/Berlin\n");

    ChangeSettings c = AgentSetup.changes(Settings.load(file, k -> null), ChangeSettings.OFF);

    assertThat(c).isEqualTo(new ChangeSettings(true, Duration.ofSeconds(30), Duration.ofMinutes(10),
        ZoneId.of("Europe/Berlin")));
  }

  @Test
  void anIntervalOutOfBoundsOrAnUnknownZoneNamesTheSetting() throws Exception {
    Path fast = Files.writeString(dir.resolve("fast.properties"), "agent.changes.interval=1s\n");
    assertThatThrownBy(() -> AgentSetup.changes(Settings.load(fast, k -> null), ChangeSettings.OFF))
        .isInstanceOf(Settings.SettingsException.class).hasMessageContaining("agent.changes.interval");
    Path zone = Files.writeString(dir.resolve("zone.properties"), "sap.time-zone=CEST+9\n");
    assertThatThrownBy(() -> AgentSetup.changes(Settings.load(zone, k -> null), ChangeSettings.OFF))
        .hasMessageContaining("sap.time-zone");
  }
}
