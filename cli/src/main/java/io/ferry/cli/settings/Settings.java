package io.ferry.cli.settings;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where a setting's value comes from, in order: the command-line flag, the environment variable
 * ({@code agent.relay-url} → {@code FERRY_AGENT_RELAY_URL}), the configuration file (a properties file
 * with the same dotted keys), then the default. One rule for every setting, so an operator can move a
 * value between the three without learning new names.
 */
public final class Settings {

  private final Map<String, String> file;
  private final Function<String, String> env;

  private Settings(Map<String, String> file, Function<String, String> env) {
    this.file = file;
    this.env = env;
  }

  /** @param configFile a properties file, or null for none */
  public static Settings load(Path configFile, Function<String, String> env) {
    Map<String, String> values = new TreeMap<>();
    if (configFile != null) {
      if (!Files.isRegularFile(configFile)) {
        throw new SettingsException("configuration file " + configFile + " does not exist; check --config");
      }
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(configFile)) {
        p.load(r);
      } catch (IOException e) {
        throw new SettingsException("cannot read configuration file " + configFile + ": " + e.getMessage());
      }
      p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
    }
    return new Settings(values, env);
  }

  public static Settings fromEnvironment() {
    return load(null, System::getenv);
  }

  public static String envName(String key) {
    return "FERRY_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The value of {@code key}: the flag when given, else environment, else file, else {@code fallback}. */
  public String get(String key, String flag, String fallback) {
    if (flag != null) {
      return flag;
    }
    String fromEnv = env.apply(envName(key));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    return file.getOrDefault(key, fallback);
  }

  public int getInt(String key, Integer flag, int fallback) {
    String v = get(key, flag == null ? null : flag.toString(), Integer.toString(fallback));
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new SettingsException(key + " must be a whole number, was '" + v + "'");
    }
  }

  public long getLong(String key, Long flag, long fallback) {
    String v = get(key, flag == null ? null : flag.toString(), Long.toString(fallback));
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new SettingsException(key + " must be a whole number, was '" + v + "'");
    }
  }

  public java.time.Duration getDuration(String key, String flag, java.time.Duration fallback) {
    String v = get(key, flag, null);
    return v == null ? fallback : Durations.parse(key, v);
  }

  /** Every file and environment value under {@code prefix} (for example {@code sap.}), keys without the prefix. */
  public Map<String, String> section(String prefix) {
    Map<String, String> out = new TreeMap<>();
    file.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  /** Raised for a setting that cannot be used; the message names it and the fix. */
  public static final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
      super(message);
    }
  }
}
