package io.ferry.cli.command;

import io.ferry.agent.sap.setup.SapBackends;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.changes.ChangeSettings;
import io.ferry.agent.metrics.MetricsSettings;
import io.ferry.agent.policy.AgentPolicy;
import io.ferry.agent.proxy.ProxySettings;
import io.ferry.agent.sap.CallPolicy;
import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.agent.sap.resilience.ResilienceSettings;
import io.ferry.agent.secrets.SecretStore;
import io.ferry.agent.tls.TlsSettings;
import io.ferry.cli.settings.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The agent's configuration as every agent command reads it: data directory first (the secrets file is
 * there), then the settings with {@code ${secret:…}} resolved, then the typed, validated records.
 */
final class AgentSetup {

  /** Keys whose values are secrets wherever they appear (SAP, JCo and proxy passwords, SSO tickets). */
  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(passw|secret|token|x509cert|mysapsso2).*");

  private AgentSetup() {}

  static Path dataDir(Settings s, Path flag) {
    return Path.of(s.get("agent.data-dir", flag == null ? null : flag.toString(), Defaults.agentDataDir().toString()));
  }

  /** The settings with {@code ${secret:NAME}} taken from the secrets file in {@code dataDir}. */
  static Settings withSecrets(Settings s, Path dataDir) {
    SecretStore store = SecretStore.in(dataDir);
    return s.withSecrets(store::get, store.file().toString());
  }

  /**
   * Everything but SAP. {@code enrolledUrl} is the relay URL of the agent's credentials, the default of
   * {@code agent.relay-url}; null when the agent is not enrolled.
   */
  static AgentConfig config(Settings s, Path dir, String relayFlag, Integer workersFlag, String enrolledUrl,
      Function<String, String> env) {
    return config(s, dir, relayFlag, workersFlag, enrolledUrl, env, null);
  }

  /** As above, with {@code --transport} ({@code agent.transport}: poll or sqs with the sqs.* settings). */
  static AgentConfig config(Settings s, Path dir, String relayFlag, Integer workersFlag, String enrolledUrl,
      Function<String, String> env, String transportFlag) {
    String url = s.get("agent.relay-url", relayFlag, enrolledUrl);
    if (url == null) {
      throw new Settings.SettingsException("agent.relay-url is not set and the agent is not enrolled: give --relay URL or "
          + "run `ferry agent enroll` first");
    }
    URI relay;
    try {
      relay = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new Settings.SettingsException("agent.relay-url is not a URL: '" + url + "' (" + e.getReason() + ")");
    }
    AgentConfig d = AgentConfig.defaults(URI.create("https://relay.invalid"), dir);
    String pins = s.get("agent.tls.pin", null, null);
    String caFile = s.get("agent.tls.ca-file", null, null);
    TlsSettings tls = new TlsSettings(caFile == null || caFile.isBlank() ? null : Path.of(caFile.strip()),
        pins == null ? List.of() : Arrays.stream(pins.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList());
    ProxySettings proxy = ProxySettings.resolve(k -> s.get("agent.proxy." + k, null, null), relay, env);
    return d.toBuilder()
        .relayUrl(relay)
        .dataDir(dir)
        .workers(s.getInt("agent.workers", workersFlag, d.workers()))
        .connectTimeout(s.getDuration("agent.connect-timeout", null, d.connectTimeout()))
        .pollTimeout(s.getDuration("agent.poll-timeout", null, d.pollTimeout()))
        .leaseRenewEvery(s.getDuration("agent.lease-renew-every", null, d.leaseRenewEvery()))
        .backoffInitial(s.getDuration("agent.backoff-initial", null, d.backoffInitial()))
        .backoffMax(s.getDuration("agent.backoff-max", null, d.backoffMax()))
        .shutdownGrace(s.getDuration("agent.shutdown-grace", null, d.shutdownGrace()))
        .allowInsecureHttp(bool(s, "agent.allow-insecure-http"))
        .tls(tls)
        .proxy(proxy)
        .policy(policy(s))
        .sapResilience(sapResilience(s))
        .pollWatchdog(s.getDuration("agent.poll-watchdog", null, d.pollWatchdog()))
        .catalogRefresh(s.getDuration("agent.catalog-refresh", null, d.catalogRefresh()))
        .metrics(metrics(s, null))
        .transport(transport(s, transportFlag))
        .changes(changes(s, d.changes()))
        .build();
  }

  /** {@code agent.changes.*} and {@code sap.time-zone}: the change watcher (docs/changes.md). */
  static ChangeSettings changes(Settings s, ChangeSettings d) {
    try {
      return new ChangeSettings(bool(s, "agent.changes.customers.enabled"),
          s.getDuration("agent.changes.interval", null, d.interval()),
          s.getDuration("agent.changes.overlap", null, d.overlap()),
          ChangeSettings.timeZone(s.get("sap.time-zone", null, null)));
    } catch (IllegalArgumentException e) {
      throw new Settings.SettingsException(e.getMessage());
    }
  }

  private static AgentConfig.Transport transport(Settings s, String flag) {
    String mode = s.get("agent.transport", flag, "stream").strip();
    return switch (mode) {
      case "stream" -> AgentConfig.Transport.STREAM;
      case "poll" -> AgentConfig.Transport.POLL;
      case "sqs" -> AgentConfig.Transport.sqs(SqsSetup.sqs(s, null, null));
      default -> throw new Settings.SettingsException("agent.transport must be stream, poll or sqs, was '" + mode + "'");
    };
  }

  /**
   * {@code agent.metrics.port} (or {@code --metrics-port}) switches the local metrics endpoint on, on
   * {@code agent.metrics.host} (127.0.0.1 unless told otherwise); unset, the agent opens no port.
   */
  static MetricsSettings metrics(Settings s, Integer portFlag) {
    String port = s.get("agent.metrics.port", portFlag == null ? null : portFlag.toString(), null);
    String host = s.get("agent.metrics.host", null, MetricsSettings.DEFAULT_HOST);
    if (port == null || port.isBlank()) {
      return MetricsSettings.OFF;
    }
    int p = s.getInt("agent.metrics.port", portFlag, 0);
    if (p < 1) {
      throw new Settings.SettingsException("agent.metrics.port must be between 1 and 65535, was " + p
          + "; leave it unset for no metrics endpoint");
    }
    return new MetricsSettings(true, host.strip(), p);
  }

  /** {@code agent.sap-retry.*} and {@code agent.sap-breaker.*}. */
  static ResilienceSettings sapResilience(Settings s) {
    ResilienceSettings d = ResilienceSettings.defaults();
    return new ResilienceSettings(
        s.getInt("agent.sap-retry.max-attempts", null, d.maxAttempts()),
        s.getDuration("agent.sap-retry.initial-backoff", null, d.initialBackoff()),
        s.getDuration("agent.sap-retry.max-backoff", null, d.maxBackoff()),
        s.getInt("agent.sap-breaker.failure-threshold", null, d.breakerThreshold()),
        s.getDuration("agent.sap-breaker.cool-down", null, d.breakerCoolDown()));
  }

  /** {@code policy.*}: from the file or the environment; a misspelt key was refused when the settings were loaded. */
  static AgentPolicy policy(Settings s) {
    return AgentPolicy.fromSection(s.section("policy."));
  }

  static SapSettings sap(Settings s, Function<String, String> env) {
    SapSettings sap = SapSettings.fromSection(s.section("sap."), env);
    // Every service policy.odata.resources names must be configured: found at start, not at the first job.
    sap.odataServices().checkNamedServices(policy(s).generic().services());
    return sap;
  }

  /**
   * Opens the SAP backend under the agent's policy and starts the agent, after logging the effective
   * configuration once (secrets masked).
   */
  static io.ferry.agent.Agent start(Settings s, AgentConfig config, SapSettings sap, Map<String, String> flags)
      throws java.io.IOException {
    org.slf4j.LoggerFactory.getLogger(AgentRunCommand.class).info("FERRY-AGENT-0010 effective configuration: {}; {}",
        "AgentConfig[" + String.join(", ", s.asWritten(config.describe(), flags)) + "]", sap);
    return io.ferry.agent.Agent.start(config, SapBackends.open(sap, calls(config, sap)));
  }

  /** What the SAP backend may call, by the agent's policy. */
  static CallPolicy calls(AgentConfig config, SapSettings sap) {
    return config.policy().calls(sap.odata() == null ? null : sap.odata().serviceUrl());
  }

  /**
   * The {@code sap.*} settings as lines with every secret masked: by key (passwords, SSO tickets) and by
   * origin (anything from the secrets file). A password that is not set, or whose reference cannot be
   * resolved, shows as missing.
   */
  static List<String> describeSap(Settings s, Function<String, String> env) {
    List<String> lines = describeGiven(s, "sap.", env);
    Map<String, String> sap = s.section("sap.");
    boolean odata = "odata".equals(sap.getOrDefault("backend", "bapi").strip());
    String password = env.apply(SapSettings.PASSWORD_ENV);
    boolean passwordInEnv = password != null && !password.isEmpty();
    if (!odata && !passwordInEnv && !sap.containsKey("jco." + SapSettings.PASSWORD_KEY)
        && !sap.containsKey("jco.jco.client.snc_mode")) {
      lines.add("sap.jco." + SapSettings.PASSWORD_KEY + "=(missing: set the environment variable " + SapSettings.PASSWORD_ENV
          + ", or store it with `ferry agent secrets set sap-password` and write sap.jco." + SapSettings.PASSWORD_KEY
          + "=${secret:sap-password})");
    }
    if (odata && sap.containsKey("odata.user") && !passwordInEnv && !sap.containsKey("odata.password")) {
      lines.add("sap.odata.password=(missing: set the environment variable " + SapSettings.PASSWORD_ENV + ", or store it "
          + "with `ferry agent secrets set sap-password` and write sap.odata.password=${secret:sap-password})");
    }
    boolean services = sap.keySet().stream().anyMatch(k -> k.startsWith(io.ferry.agent.sap.odata.ODataServices.PREFIX));
    if (!odata && services && sap.containsKey("odata.user") && !sap.containsKey("odata.password")) {
      // On a bapi agent FERRY_SAP_PASSWORD is the JCo user's: the OData services' user needs its own.
      lines.add("sap.odata.password=(missing: the OData services' user needs it; store it with `ferry agent secrets set "
          + "sap-odata-password` and write sap.odata.password=${secret:sap-odata-password})");
    }
    String certPassword = env.apply(io.ferry.agent.sap.odata.ODataSettings.CERT_PASSWORD_ENV);
    if (odata && sap.containsKey("odata.client-certificate") && (certPassword == null || certPassword.isEmpty())
        && !sap.containsKey("odata.client-certificate-password")) {
      lines.add("sap.odata.client-certificate-password=(missing: set the environment variable "
          + io.ferry.agent.sap.odata.ODataSettings.CERT_PASSWORD_ENV + ", or store it with `ferry agent secrets set "
          + "sap-certificate-password` and write sap.odata.client-certificate-password=${secret:sap-certificate-password})");
    }
    for (String variable : List.of(SapSettings.PASSWORD_ENV, io.ferry.agent.sap.odata.ODataSettings.CERT_PASSWORD_ENV)) {
      String v = env.apply(variable);
      if (v != null && !v.isEmpty()) {
        lines.add("(environment " + variable + "=****, wins over the file)");
      }
    }
    return lines;
  }

  /**
   * {@code lines} of {@code key=value} with the value of each key whose reference cannot be resolved shown as
   * missing, and where it was to come from: a lenient configuration read it as empty, which would look unset.
   */
  static List<String> markMissing(Settings s, List<String> lines) {
    Map<String, String> unresolved = s.unresolved();
    return lines.stream().map(line -> {
      int eq = line.indexOf('=');
      String key = eq > 0 ? line.substring(0, eq) : "";
      return unresolved.containsKey(key) ? key + "=(missing) (from " + s.reference(key).orElse("?") + ")" : line;
    }).toList();
  }

  /**
   * The settings under {@code prefix} as given in the file and the environment, secrets masked, a reference that
   * cannot be resolved shown as missing: what {@code config show} can still say when the typed configuration
   * cannot be built.
   */
  static List<String> describeGiven(Settings s, String prefix, Function<String, String> env) {
    List<String> lines = new ArrayList<>();
    Map<String, String> unresolved = s.unresolved();
    s.section(prefix).forEach((k, v) -> {
      String key = prefix + k;
      String fromEnv = env.apply(Settings.envName(key));
      boolean inEnv = fromEnv != null && !fromEnv.isBlank();
      String reference = inEnv ? null : s.reference(key).orElse(null);
      boolean secret = SECRET_KEY.matcher(k).matches() || reference != null && reference.contains("${secret:");
      String value = !inEnv && unresolved.containsKey(key) ? "(missing)" : secret ? "****" : v;
      lines.add(key + "=" + value + (reference != null ? " (from " + reference + ")"
          : inEnv ? " (from environment " + Settings.envName(key) + ")" : ""));
    });
    return lines;
  }

  private static boolean bool(Settings s, String key) {
    String v = s.get(key, null, "false").strip();
    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
      throw new Settings.SettingsException(key + " must be true or false, was '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }
}
