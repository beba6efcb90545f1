package io.ferry.cli.settings;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>Loaded for a role ({@link #load(Path, Map, Keys)}), a key of the role's namespaces that the role does not
 * know, in the file or as a {@code FERRY_…} environment variable, stops the start: a misspelt key would
 * otherwise leave its default silently in force.
 */
public final class Settings {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([a-z]+):([^}]*)\\}");

  private final Map<String, String> file;
  private final Function<String, String> env;
  private final Function<String, Optional<String>> secrets;
  private final String secretsFile;
  /** The role's keys, when loaded for one: a key of its namespaces it does not declare is a programming error. */
  private final Keys role;
  /** Whether a reference that cannot be resolved reads as empty instead of stopping: {@link #lenient()}. */
  private final boolean lenient;

  private Settings(Map<String, String> file, Function<String, String> env, Function<String, Optional<String>> secrets,
      String secretsFile, Keys role, boolean lenient) {
    this.file = file;
    this.env = env;
    this.secrets = secrets;
    this.secretsFile = secretsFile;
    this.role = role;
    this.lenient = lenient;
  }

  /**
   * The same settings, where a {@code ${secret:…}} or {@code ${env:…}} that cannot be resolved reads as empty
   * instead of stopping, for showing a configuration that is not complete yet; {@link #unresolved()} says what
   * is missing.
   */
  public Settings lenient() {
    return new Settings(file, env, secrets, secretsFile, role, true);
  }

  /** Each reference in the file that cannot be resolved, by key, with what to do about it. */
  public Map<String, String> unresolved() {
    Map<String, String> out = new TreeMap<>();
    file.forEach((k, v) -> {
      try {
        resolveStrictly(k, v);
      } catch (RuntimeException e) {
        out.put(k, e.getMessage());
      }
    });
    return out;
  }

  /**
   * The same settings with {@code ${secret:NAME}} resolved by {@code lookup}.
   *
   * @param where the secrets file, for messages
   */
  public Settings withSecrets(Function<String, Optional<String>> lookup, String where) {
    return new Settings(file, env, lookup, where, role, lenient);
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
    if (!lenient) {
      return resolveStrictly(key, raw);
    }
    try {
      return resolveStrictly(key, raw);
    } catch (RuntimeException e) {
      return "";
    }
  }

  private String resolveStrictly(String key, String raw) {
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

  /** The settings of {@code configFile} (null for none) and the environment, without checking their keys. */
  public static Settings load(Path configFile, Function<String, String> env) {
    return new Settings(read(configFile), env, null, null, null, false);
  }

  /**
   * The settings of a role from {@code configFile} (null for none) and the process environment; a key of the
   * role's namespaces it does not know stops here, with the nearest valid key.
   */
  public static Settings load(Path configFile, Keys role) {
    return load(configFile, System.getenv(), role);
  }

  /** As {@link #load(Path, Keys)}, with {@code environment} as the environment. */
  public static Settings load(Path configFile, Map<String, String> environment, Keys role) {
    Map<String, String> values = read(configFile);
    List<String> problems = new ArrayList<>();
    values.keySet().stream().filter(role::owns).filter(k -> !role.known(k)).forEach(k -> problems.add(
        "unknown setting " + k + " in the configuration file " + configFile + suggestion(role.nearest(k).orElse(null),
            role)));
    new TreeMap<>(environment).keySet().stream().filter(role::ownsVariable).filter(v -> !role.knownVariable(v))
        .forEach(v -> problems.add(unknownVariable(v, role)));
    if (!problems.isEmpty()) {
      throw new SettingsException(String.join("; ", problems));
    }
    return new Settings(values, environment::get, null, null, role, false);
  }

  /** The role's settings from the environment alone (commands without {@code --config}). */
  public static Settings fromEnvironment(Keys role) {
    return load(null, role);
  }

  private static String suggestion(String nearest, Keys role) {
    return nearest != null ? "; did you mean " + nearest + "?"
        : "; it is none of the " + String.join(", ", role.namespaces().stream().map(ns -> ns + "*").toList())
            + " settings of the " + role.role() + " (docs/configuration.md lists them)";
  }

  private static String unknownVariable(String name, Keys role) {
    String family = role.families().stream()
        .filter(f -> name.startsWith(envName(f.substring(0, f.length() - 1)) + "_")).findFirst().orElse(null);
    if (family != null) {
      return "unknown setting " + name + " in the environment: the " + family + "* settings are read from the "
          + "configuration file only (write " + family + "NAME=${env:" + name + "} there to take the value from the "
          + "environment)";
    }
    String nearest = role.nearestVariable(name).orElse(null);
    return "unknown setting " + name + " in the environment" + (nearest != null ? "; did you mean " + nearest + "?"
        : "; it is none of the " + String.join(", ", role.namespaces().stream().map(ns -> envName(ns) + "*").toList())
            + " variables of the " + role.role() + " (docs/configuration.md lists them)");
  }

  /**
   * The file's keys and values. A byte-order mark is skipped (Windows PowerShell 5.1 writes one with
   * {@code Set-Content -Encoding UTF8}, and UTF-16 with {@code Out-File}); without one the file must be UTF-8.
   */
  private static Map<String, String> read(Path configFile) {
    Map<String, String> values = new TreeMap<>();
    if (configFile == null) {
      return values;
    }
    if (!Files.isRegularFile(configFile)) {
      throw new SettingsException("configuration file " + configFile + " does not exist; check --config");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(configFile);
    } catch (IOException e) {
      throw new SettingsException("cannot read configuration file " + configFile + ": " + e.getMessage());
    }
    Properties p = new Properties();
    try {
      p.load(new StringReader(text(bytes, configFile)));
    } catch (IOException | IllegalArgumentException e) {
      throw new SettingsException("cannot read configuration file " + configFile + ": " + e.getMessage());
    }
    p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
    return values;
  }

  private static String text(byte[] b, Path file) {
    int skip = 0;
    Charset charset = StandardCharsets.UTF_8;
    if (b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
      skip = 3;
    } else if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
      skip = 2;
      charset = StandardCharsets.UTF_16LE;
    } else if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
      skip = 2;
      charset = StandardCharsets.UTF_16BE;
    }
    try {
      return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, skip, b.length - skip)).toString();
    } catch (CharacterCodingException e) {
      throw new SettingsException("configuration file " + file + " is not " + charset.name() + " text; save it as UTF-8 "
          + "(PowerShell: Set-Content -Encoding UTF8)");
    }
  }

  /** No file, the process environment, no key check: for tests and tools that read one or two settings. */
  public static Settings fromEnvironment() {
    return load(null, System::getenv);
  }

  public static String envName(String key) {
    return "FERRY_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The value of {@code key}: the flag when given, else environment, else file, else {@code fallback}. */
  public String get(String key, String flag, String fallback) {
    if (role != null && role.owns(key) && !role.known(key)) {
      // Every key a role reads is in its Keys, or a typo in the file could not be told from a new setting.
      throw new IllegalStateException(key + " is read but not declared in the keys of the " + role.role());
    }
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

  /**
   * {@code lines} of {@code key=value}, with each duration shown as the operator wrote it ({@code 60s} stays
   * {@code 60s}, not {@code 1m}) where the line's value is the duration written; other lines as they are.
   *
   * @param flags the values of the command-line flags by key, which win over everything else
   */
  public List<String> asWritten(List<String> lines, Map<String, String> flags) {
    List<String> out = new ArrayList<>(lines.size());
    for (String line : lines) {
      int eq = line.indexOf('=');
      String shown = line;
      if (eq > 0 && line.indexOf(' ') < 0) {
        String key = line.substring(0, eq);
        String written = written(key, flags.get(key));
        if (written != null && sameDuration(key, written, line.substring(eq + 1))) {
          shown = key + "=" + written.strip();
        }
      }
      out.add(shown);
    }
    return out;
  }

  private String written(String key, String flag) {
    if (flag != null) {
      return flag;
    }
    String fromEnv = env.apply(envName(key));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return file.containsKey(key) && reference(key).isEmpty() ? file.get(key) : null;
  }

  private static boolean sameDuration(String key, String written, String shown) {
    try {
      return io.ferry.protocol.Durations.parse(key, written).equals(io.ferry.protocol.Durations.parse(key, shown));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Every file and environment value under {@code prefix} (for example {@code sap.}), keys without the prefix. */
  public Map<String, String> section(String prefix) {
    Map<String, String> out = new TreeMap<>();
    file.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), resolve(k, v));
      }
    });
    if (role != null) {
      // The role's own keys may come from the environment like any setting; a family's members cannot, as
      // their names do not survive the trip to FERRY_… and back.
      role.keys().stream().filter(k -> k.startsWith(prefix)).forEach(k -> {
        String fromEnv = env.apply(envName(k));
        if (fromEnv != null && !fromEnv.isBlank()) {
          out.put(k.substring(prefix.length()), fromEnv.trim());
        }
      });
    }
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
