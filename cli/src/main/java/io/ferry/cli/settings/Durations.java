package io.ferry.cli.settings;

import java.time.Duration;

/**
 * Durations of settings and options: {@link io.ferry.protocol.Durations}, the one parser every role uses, with
 * its message as a {@link Settings.SettingsException} (exit code 3).
 */
public final class Durations {

  private Durations() {}

  public static Duration parse(String setting, String text) {
    try {
      return io.ferry.protocol.Durations.parse(setting, text);
    } catch (IllegalArgumentException e) {
      throw new Settings.SettingsException(e.getMessage());
    }
  }

  /** As an operator writes it: {@code 30s}, not {@code PT30S}. */
  public static String format(Duration d) {
    return io.ferry.protocol.Durations.format(d);
  }
}
