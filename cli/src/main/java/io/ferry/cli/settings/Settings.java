package io.ferry.cli.settings;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a setting's value comes from, in order: the command-line flag, the environment variable
 * ({@code agent.relay-url} → {@code FERRY_AGENT_RELAY_URL}), the configuration file (a properties file
 * with the same dotted keys), then the default. One rule for every setting, so an operator can move a
 * value between the three without learning new names.
 *
 * <p>A value in the file may refer to a secret kept elsewhere: {@code ${env:NAME}} is the environment
 * variable {@code NAME}, {@code ${secret:NAME}} the entry {@code NAME} of the agent's encrypted secrets file
 * (when {@link #withSecrets} gave one). {@code $${} stands for a literal {@code ${}. A reference that cannot be
 * resolved stops the start with a message naming the setting and the reference, never a value.
 */
public final class Settings {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([a-z]+):([^}]*)\\}");

  private final Map<String, String> file;
  private final Function<String, String> env;
  private final Function<String, Optional<String>> secrets;
  private final String secretsFile;

  private Settings(Map<String, String> file, Function<String, String> env, Function<String, Optional<String>> secrets,
      String secretsFile) {
    this.file = file;
    this.env = env;
    this.secrets = secrets;
    this.secretsFile = secretsFile;
  }

  /**
   * The same settings with {@code ${secret:NAME}} resolved by {@code lookup}.
   *
   * @param where the secrets file, for messages
   */
  public Settings withSecrets(Function<String, Optional<String>> lookup, String where) {
    return new Settings(file, env, lookup, where);
  }

  /** The reference the file gives for {@code key} ({@code ${secret:sap-password}}), if its value is one. */
  public Optional<String> reference(String key) {
    String raw = file.get(key);
    return raw != null && (raw.contains("${env:") || raw.contains("${secret:")) ? Optional.of(raw) : Optional.empty();
  }

  /** Where {@code key}'s value comes from: {@code flag}, {@code environment FERRY_…}, {@code file}, or {@code default}. */
  public String source(String key, String flag) {
    if (flag != null) {
      return "flag";
    }
    String fromEnv = env.apply(envName(key));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return "environment " + envName(key);
    }
    return file.containsKey(key) ? "file" : "default";
  }

  private String resolve(String key, String raw) {
    if (raw == null || !raw.contains("${")) {
      return raw;
    }
    Matcher m = REFERENCE.matcher(raw);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) == null) {
        replacement = "${";
      } else {
        String kind = m.group(1);
        String name = m.group(2);
        replacement = switch (kind) {
          case "env" -> {
            String v = env.apply(name);
            if (v == null) {
              throw new SettingsException(key + " refers to ${env:" + name + "}, but the environment variable " + name
                  + " is not set");
            }
            yield v;
          }
          case "secret" -> {
            if (secrets == null) {
              throw new SettingsException(key + " refers to ${secret:" + name + "}, but secrets are only available in the "
                  + "agent's configuration");
            }
            yield secrets.apply(name).orElseThrow(() -> new SettingsException(key + " refers to ${secret:" + name
                + "}, which is not in the secrets file " + secretsFile + "; add it with `ferry agent secrets set " + name + "`"));
          }
          default -> throw new SettingsException(key + " has an unknown reference ${" + kind + ":…}; use ${env:NAME} or "
              + "${secret:NAME}, or write $${ for a literal ${");
        };
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
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
    return new Settings(values, env, null, null);
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
    return file.containsKey(key) ? resolve(key, file.get(key)) : fallback;
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

  /** {@code true} or {@code false}, any case; anything else names the key. */
  public boolean getBoolean(String key, Boolean flag, boolean fallback) {
    String v = get(key, flag == null ? null : flag.toString(), Boolean.toString(fallback)).trim();
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new SettingsException(key + " must be true or false, was '" + v + "'");
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
        out.put(k.substring(prefix.length()), resolve(k, v));
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
