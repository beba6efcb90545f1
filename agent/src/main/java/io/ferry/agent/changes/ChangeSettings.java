package io.ferry.agent.changes;

import io.ferry.protocol.Durations;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The change watcher's settings (docs/changes.md).
 *
 * @param customers {@code agent.changes.customers.enabled}: whether customers are watched (off by default)
 * @param interval {@code agent.changes.interval}: how often SAP is asked (5 s to 24 h)
 * @param overlap {@code agent.changes.overlap}: how far before the watermark each scan looks again, so that a change
 *     committed after a later one, or recorded with a clock behind the agent's, is still found (0 to 24 h)
 * @param sapTimeZone {@code sap.time-zone}: the zone SAP's dates and times are in (change documents, OData's change
 *     dates carry none)
 */
public record ChangeSettings(boolean customers, Duration interval, Duration overlap, ZoneId sapTimeZone) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
  public static final Duration DEFAULT_OVERLAP = Duration.ofMinutes(5);
  public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("UTC");
  // Before OFF: the constructor of OFF checks against them.
  static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
  static final Duration MAX_INTERVAL = Duration.ofHours(24);
  static final Duration MAX_OVERLAP = Duration.ofHours(24);
  /** Not watching; the defaults otherwise. */
  public static final ChangeSettings OFF = new ChangeSettings(false, DEFAULT_INTERVAL, DEFAULT_OVERLAP,
      DEFAULT_TIME_ZONE);

  public ChangeSettings {
    List<String> problems = new ArrayList<>();
    if (interval == null) {
      problems.add("agent.changes.interval is required (60s by default)");
    } else if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
      problems.add("agent.changes.interval must be between 5s and 24h, was " + Durations.format(interval)
          + ": set it to how often SAP should be asked for changed customers, for example 60s");
    }
    if (overlap == null) {
      problems.add("agent.changes.overlap is required (5m by default)");
    } else if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
      problems.add("agent.changes.overlap must be between 0s and 24h, was " + Durations.format(overlap)
          + ": set it to longer than SAP's longest commit plus the clock difference between SAP and the agent, "
          + "for example 5m");
    }
    if (sapTimeZone == null) {
      problems.add("sap.time-zone is required (UTC by default): the time zone of the SAP system, for example "
          + "Europe/Berlin");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** {@code sap.time-zone} as written: a zone id such as {@code Europe/Berlin} or {@code UTC}. */
  public static ZoneId timeZone(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_TIME_ZONE;
    }
    try {
      return ZoneId.of(value.strip());
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("sap.time-zone must be a time zone id such as Europe/Berlin or UTC (the "
          + "SAP system's time zone, transaction STZAC), was '" + value + "'");
    }
  }

  public ChangeSettings withCustomers(boolean enabled) {
    return new ChangeSettings(enabled, interval, overlap, sapTimeZone);
  }

  public ChangeSettings withInterval(Duration d) {
    return new ChangeSettings(customers, d, overlap, sapTimeZone);
  }

  public ChangeSettings withOverlap(Duration d) {
    return new ChangeSettings(customers, interval, d, sapTimeZone);
  }

  public ChangeSettings withSapTimeZone(ZoneId zone) {
    return new ChangeSettings(customers, interval, overlap, zone);
  }

  /** {@code key=value} lines for {@code ferry agent config show}. */
  public List<String> describe() {
    return List.of("agent.changes.customers.enabled=" + customers, "agent.changes.interval=" + Durations.format(interval),
        "agent.changes.overlap=" + Durations.format(overlap), "sap.time-zone=" + sapTimeZone.getId());
  }
}
