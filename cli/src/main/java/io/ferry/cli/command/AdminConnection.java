package io.ferry.cli.command;

import io.ferry.cli.settings.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options every {@code ferry admin} command shares: which relay, which admin key, how to print.
 * The key comes from {@code FERRY_ADMIN_KEY} or {@code admin.key} in {@code --config}, never from the
 * command line, where other users of the host could read it in the process list.
 */
final class AdminConnection {

  enum Output { table, json }

  @Option(names = "--relay", paramLabel = "URL",
      description = "The relay's base URL (admin.relay; FERRY_ADMIN_RELAY). Plain http only to loopback.")
  String relay;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A properties file with admin.relay and admin.key (the admin key; or FERRY_ADMIN_KEY). Default: "
          + "FERRY_ADMIN_CONFIG, else ~/.ferry/admin.properties when it exists.")
  Path config;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table (default) or json.")
  Output output;

  @Option(names = "--allow-plain-http", description = "Send the admin key over plain http to a host that is not loopback.")
  boolean allowPlainHttp;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  AdminClient client() {
    Settings settings = Settings.load(configFile(System::getenv), Roles.ADMIN);
    String url = settings.get("admin.relay", relay, null);
    if (url == null || url.isBlank()) {
      throw new Settings.SettingsException("admin.relay is not set; pass --relay https://relay.example.com "
          + "(or set FERRY_ADMIN_RELAY or admin.relay in --config)");
    }
    URI base;
    try {
      base = URI.create(url.strip().replaceAll("/+$", ""));
    } catch (IllegalArgumentException e) {
      throw new Settings.SettingsException("admin.relay must be a URL such as https://relay.example.com, was '" + url + "'");
    }
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || base.getHost() == null) {
      throw new Settings.SettingsException("admin.relay must be an http(s) URL such as https://relay.example.com, was '"
          + url + "'");
    }
    if (scheme.equals("http") && !allowPlainHttp && !loopback(base.getHost())) {
      throw new Settings.SettingsException("admin.relay " + url + " is plain http to another host: the admin key would "
          + "cross the network readable; use https, or --allow-plain-http if a TLS proxy sits in between");
    }
    String key = settings.get("admin.key", null, null);
    if (key == null || key.isBlank()) {
      throw new UserFacingException(ExitCode.CONFIG, "no admin key: set FERRY_ADMIN_KEY or admin.key in --config to an "
          + "API key with scope admin (ferry relay bootstrap prints one)");
    }
    return new AdminClient(base, key.strip());
  }

  /** --config, else FERRY_ADMIN_CONFIG, else ~/.ferry/admin.properties if there is one, else none. */
  Path configFile(java.util.function.Function<String, String> env) {
    if (config != null) {
      return config;
    }
    String named = env.apply("FERRY_ADMIN_CONFIG");
    if (named != null && !named.isBlank()) {
      return Path.of(named.strip());
    }
    Path usual = Defaults.home().resolve("admin.properties");
    return java.nio.file.Files.isRegularFile(usual) ? usual : null;
  }

  private static boolean loopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
  }
}
