package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void everyUnitAnOperatorWritesIsRead() {
    assertThat(Durations.parse("x", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("x", "30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("x", "10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("x", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("x", "1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("x", " 7 d ")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("x", "PT30S")).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aValueThatIsNoDurationNamesTheSettingTheValueAndTheForms() {
    assertThatThrownBy(() -> Durations.parse("agent.poll-timeout", "soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("agent.poll-timeout must be a duration such as 500ms, 30s, 10m, 1h or 7d (or ISO-8601 such as PT30S), "
            + "was 'soon'");
    assertThatThrownBy(() -> Durations.parse("x", "99999999999999999d")).hasMessageContaining("was '99999999999999999d'");
  }

  @Test
  void durationsArePrintedAsOperatorsWriteThem() {
    assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(Durations.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(Durations.format(Duration.ofSeconds(60))).isEqualTo("60s");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
    assertThat(Durations.format(Duration.ofHours(36))).isEqualTo("36h");
    assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofNanos(1500))).isEqualTo("PT0.0000015S");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1ms", "250ms", "1s", "45s", "60s", "2m", "61m", "1h", "25h", "1d", "30d"})
  void whatIsPrintedReadsBackAsTheSameDuration(String written) {
    Duration d = Durations.parse("x", written);
    assertThat(Durations.parse("x", Durations.format(d))).isEqualTo(d);
  }
}
