package io.ferry.relay.store;

import java.util.Locale;

/**
 * Which database the relay keeps its jobs, keys and agents in.
 *
 * @param kind {@link Kind#SQLITE} (the default: one file in relay.data-dir, one relay) or
 *     {@link Kind#POSTGRES} (several relays share it; see docs/scaling.md)
 * @param jdbcUrl relay.jdbc-url, for PostgreSQL only: {@code jdbc:postgresql://host:5432/ferry}
 * @param user relay.db-user; null to use the driver's default (or the URL's {@code user=})
 * @param password relay.db-password; null for none (trust or certificate authentication). Never logged
 */
public record StoreSettings(Kind kind, String jdbcUrl, String user, String password) {

  public enum Kind {
    SQLITE, POSTGRES;

    /** The value of relay.store: {@code sqlite} or {@code postgres}. */
    public String settingValue() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Reads relay.store; the message names the setting and its allowed values. */
    public static Kind fromSetting(String value) {
      String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "sqlite", "embedded" -> SQLITE;
        case "postgres", "postgresql" -> POSTGRES;
        default -> throw new IllegalArgumentException("relay.store must be sqlite (the default: one file in "
            + "relay.data-dir) or postgres (several relays share one database, with relay.jdbc-url), was " + value);
      };
    }
  }

  /** The embedded default: {@code <relay.data-dir>/relay.db}. */
  public static final StoreSettings SQLITE = new StoreSettings(Kind.SQLITE, null, null, null);

  public StoreSettings {
    if (kind == null) {
      throw new IllegalArgumentException("relay.store is required: sqlite or postgres");
    }
    if (kind == Kind.SQLITE && jdbcUrl != null && !jdbcUrl.isBlank()) {
      throw new IllegalArgumentException("relay.jdbc-url is set but relay.store is sqlite, which keeps its file in "
          + "relay.data-dir: set relay.store=postgres (--store postgres) to use " + redact(jdbcUrl)
          + ", or drop relay.jdbc-url");
    }
    if (kind == Kind.POSTGRES) {
      if (jdbcUrl == null || jdbcUrl.isBlank()) {
        throw new IllegalArgumentException("relay.store is postgres but relay.jdbc-url is not set: give the database "
            + "as --jdbc-url jdbc:postgresql://HOST:5432/DATABASE (or FERRY_RELAY_JDBC_URL)");
      }
      if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
        throw new IllegalArgumentException("relay.jdbc-url must start with jdbc:postgresql:// (for example "
            + "jdbc:postgresql://db.example.com:5432/ferry), was " + redact(jdbcUrl));
      }
    }
    if (user != null && user.isBlank()) {
      user = null;
    }
  }

  /** A PostgreSQL store. */
  public static StoreSettings postgres(String jdbcUrl, String user, String password) {
    return new StoreSettings(Kind.POSTGRES, jdbcUrl, user, password);
  }

  /** For the configuration's log line: the password is never shown, nor one written into the URL. */
  public String describe() {
    if (kind == Kind.SQLITE) {
      return "relay.store=sqlite";
    }
    return "relay.store=postgres relay.jdbc-url=" + redact(jdbcUrl)
        + " relay.db-user=" + (user == null ? "(driver default)" : user)
        + " relay.db-password=" + (password == null ? "(none)" : "****");
  }

  @Override
  public String toString() {
    return "StoreSettings[" + describe() + "]";
  }

  /** The URL without its query, where a {@code password=} could hide. */
  static String redact(String jdbcUrl) {
    int q = jdbcUrl.indexOf('?');
    return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
  }
}
