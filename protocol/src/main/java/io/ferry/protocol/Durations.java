package io.ferry.protocol;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them, for every duration setting of every role: {@code 250ms}, {@code 30s},
 * {@code 10m}, {@code 1h}, {@code 7d}, or ISO-8601 ({@code PT30S}). One parser and one way to print them,
 * so a value accepted in one setting is accepted in all and a configuration is shown the way it is written
 * ({@code 30s}, never {@code PT30S}). It lives here because relay, agent and command line all depend on this
 * module and it needs nothing else.
 */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * The duration {@code text} names.
   *
   * @param setting the setting's name, for the message
   * @throws IllegalArgumentException naming the setting, the value and the accepted forms
   */
  public static Duration parse(String setting, String text) {
    String t = text == null ? "" : text.strip();
    Matcher m = SHORT.matcher(t);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return Duration.parse(t);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(setting + " must be a duration such as 500ms, 30s, 10m, 1h or 7d (or ISO-8601 "
          + "such as PT30S), was '" + text + "'");
    }
  }

  /**
   * {@code d} the way an operator writes it, and {@link #parse} reads it back: milliseconds when it is not a
   * whole number of seconds, else days, hours or minutes when whole (minutes from two on, as {@code 60s} and
   * {@code 90s} are more often written than {@code 1m}), else seconds ({@code 500ms}, {@code 90s}, {@code 60s},
   * {@code 2m}, {@code 10m}, {@code 1h}, {@code 36h}, {@code 1d}).
   */
  public static String format(Duration d) {
    if (d == null) {
      return "(none)";
    }
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    if (d.getNano() % 1_000_000 != 0) {
      return d.toString(); // finer than milliseconds: only ISO-8601 says it exactly
    }
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s >= 86_400 && s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s >= 3600 && s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s >= 120 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
