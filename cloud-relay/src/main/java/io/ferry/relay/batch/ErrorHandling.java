package io.ferry.relay.batch;

import java.util.Locale;
import java.util.Optional;

/** What a failed record does to its batch: the {@code errorHandling} query parameter. */
public enum ErrorHandling {
  /** The batch goes on; each failure is reported with its record. The default. */
  CONTINUE,
  /**
   * An invalid record refuses the whole request (nothing is stored); at run time the first failed record
   * stops the queuing of further records, which end SKIPPED.
   */
  STOP;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ErrorHandling> fromWireName(String name) {
    for (ErrorHandling e : values()) {
      if (e.wireName().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
