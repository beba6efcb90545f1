package io.ferry.cli.command;

import io.ferry.cli.settings.Settings;
import io.ferry.relay.store.StoreSettings;
import picocli.CommandLine.Option;

/**
 * Where the relay keeps its jobs, keys and agents: relay.store, relay.jdbc-url, relay.db-user and
 * relay.db-password. The password has no flag (a flag shows in the process list): it comes from the
 * environment (FERRY_RELAY_DB_PASSWORD) or the --config file, where {@code ${env:…}} and
 * {@code ${secret:…}} references work as for every other setting.
 */
final class StoreOptions {

  @Option(names = "--store", paramLabel = "sqlite|postgres",
      description = {"Where the relay keeps jobs, keys and agents (relay.store): sqlite (the default: one file in the "
          + "data directory, one relay) or postgres (several relays share one database; see docs/scaling.md)."})
  String store;

  @Option(names = "--jdbc-url", paramLabel = "URL",
      description = "The PostgreSQL database for --store postgres (relay.jdbc-url), for example "
          + "jdbc:postgresql://db.example.com:5432/ferry.")
  String jdbcUrl;

  @Option(names = "--db-user", paramLabel = "NAME",
      description = "The PostgreSQL user (relay.db-user). Its password is relay.db-password, from the environment "
          + "(FERRY_RELAY_DB_PASSWORD) or the --config file, never a flag.")
  String dbUser;

  StoreSettings settings(Settings s) {
    StoreSettings.Kind kind = StoreSettings.Kind.fromSetting(s.get("relay.store", store, "sqlite"));
    String url = s.get("relay.jdbc-url", jdbcUrl, null);
    if (kind == StoreSettings.Kind.SQLITE && url == null) {
      return StoreSettings.SQLITE;
    }
    return new StoreSettings(kind, url, s.get("relay.db-user", dbUser, null), s.get("relay.db-password", null, null));
  }
}
