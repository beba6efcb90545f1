package io.ferry.cli.command;

import io.ferry.cli.settings.Settings;
import io.ferry.relay.Relay;
import io.ferry.relay.config.RelayConfig;
import io.ferry.relay.tls.RelayTls;
import io.ferry.relay.tls.SelfSigned;
import java.io.PrintWriter;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Start the relay: the engine API under /v1 and the agent API under /agent/v1.",
        "Each setting can also come from the environment (FERRY_RELAY_PORT for relay.port) or from --config."})
final class RelayServeCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with relay.* settings.")
  Path config;

  @Option(names = "--host", description = "Address to listen on (relay.host). Default: 0.0.0.0.")
  String host;

  @Option(names = "--port", description = "Port to listen on (relay.port). Default: 8080.")
  Integer port;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the relay keeps its database (relay.data-dir). Default: ~/.ferry/relay.")
  Path dataDir;

  @Option(names = "--public-url", paramLabel = "URL",
      description = "The URL engines use to reach this relay, for absolute Location headers behind a proxy (relay.public-url).")
  String publicUrl;

  @Option(names = "--sync-window", paramLabel = "DURATION", description = "How long an engine request waits for SAP before 202 (relay.sync-window). Default: 25s.")
  String syncWindow;

  @Option(names = "--poll-hold", paramLabel = "DURATION", description = "How long an agent's poll is held when there is no job (relay.poll-hold). Default: 30s.")
  String pollHold;

  @Option(names = "--lease", paramLabel = "DURATION", description = "How long an agent holds a job without renewing (relay.lease-duration). Default: 60s.")
  String lease;

  @Option(names = "--job-deadline", paramLabel = "DURATION", description = "How long a job may wait for an agent before it expires (relay.job-deadline). Default: 10m.")
  String jobDeadline;

  @Option(names = "--rate-limit", paramLabel = "N", description = "Requests per minute and API key, 0 for no limit (relay.rate-limit). Default: 500.")
  Integer rateLimit;

  @Option(names = "--idempotency-retention", paramLabel = "DURATION", description = "How long an Idempotency-Key is remembered (relay.idempotency-retention). Default: 24h.")
  String idempotencyRetention;

  @Option(names = "--changes-retention", paramLabel = "DURATION", description = "How long customer changes stay in the change feed (relay.changes-retention). Default: 7d.")
  String changesRetention;

  @Option(names = "--tls-self-signed",
      description = {"Serve HTTPS with a self-signed certificate kept in the data directory (made on first use), for trials.",
          "Prints its pin and fingerprint; agents trust it with agent.tls.ca-file=<data-dir>/tls/relay-cert.pem."})
  boolean tlsSelfSigned;

  @Option(names = "--batch-parallelism", paramLabel = "N", description = "Records of one customer batch in flight at most (relay.batch-parallelism). Default: 8.")
  Integer batchParallelism;

  @Option(names = "--dispatch", paramLabel = "poll|sqs", description = "How jobs reach agents (relay.dispatch): poll (agents long-poll this relay) or sqs (through Amazon SQS queues; see docs/scaling-sqs.md). Default: poll.")
  String dispatch;

  @Option(names = "--sqs-region", paramLabel = "REGION", description = "AWS region of the SQS queues (sqs.region), with --dispatch sqs.")
  String sqsRegion;

  @Option(names = "--sqs-endpoint", paramLabel = "URL", description = "SQS endpoint override (sqs.endpoint), for SQS-compatible servers or VPC endpoints.")
  String sqsEndpoint;

  @Option(names = "--callback-private-networks", arity = "0..1", paramLabel = "true|false",
      description = {"Let callbacks reach private addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), for engines "
          + "inside the relay's own network (relay.callback-private-networks). Default: false, public addresses only. "
          + "Link-local (cloud metadata), NAT64 and other special-purpose addresses are never reached."})
  Boolean callbackPrivateNetworks;

  @Option(names = "--callback-loopback", arity = "0..1", paramLabel = "true|false",
      description = {"Let callbacks reach this machine (127.0.0.0/8, ::1, localhost), for development "
          + "(relay.callback-loopback). Default: false."})
  Boolean callbackLoopback;
  @picocli.CommandLine.Mixin StoreOptions storeOptions;
  @Option(names = "--log-format", paramLabel = "text|json",
      description = "Log lines as text or as one JSON object each (relay.log-format, FERRY_LOG_FORMAT). Default: text.")
  String logFormat;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Settings s = Settings.load(config, Roles.RELAY);
    Logging.format(s.get("relay.log-format", logFormat, System.getenv("FERRY_LOG_FORMAT")));
    RelayConfig d = RelayConfig.defaults(Path.of(s.get("relay.data-dir", str(dataDir), Defaults.relayDataDir().toString())));
    String url = s.get("relay.public-url", publicUrl, null);
    RelayConfig cfg = d.toBuilder()
        .host(s.get("relay.host", host, "0.0.0.0"))
        .port(s.getInt("relay.port", port, 8080))
        .publicUrl(url == null ? null : URI.create(url))
        .syncWindow(s.getDuration("relay.sync-window", syncWindow, d.syncWindow()))
        .pollHold(s.getDuration("relay.poll-hold", pollHold, d.pollHold()))
        .leaseDuration(s.getDuration("relay.lease-duration", lease, d.leaseDuration()))
        .jobDeadline(s.getDuration("relay.job-deadline", jobDeadline, d.jobDeadline()))
        .agentOfflineAfter(s.getDuration("relay.agent-offline-after", null, d.agentOfflineAfter()))
        .maxAttempts(s.getInt("relay.max-attempts", null, d.maxAttempts()))
        .maxBodyBytes(s.getLong("relay.max-body-bytes", null, d.maxBodyBytes()))
        .rateLimit(s.getInt("relay.rate-limit", rateLimit, d.rateLimit()))
        .idempotencyRetention(s.getDuration("relay.idempotency-retention", idempotencyRetention, d.idempotencyRetention()))
        .changesRetention(s.getDuration("relay.changes-retention", changesRetention, d.changesRetention()))
        .batchParallelism(s.getInt("relay.batch-parallelism", batchParallelism, d.batchParallelism()))
        .batchMaxBodyBytes(s.getLong("relay.batch-max-body-bytes", null, d.batchMaxBodyBytes()))
        // A secret: from the configuration file or FERRY_RELAY_METRICS_TOKEN, never a flag (ps would show it).
        .metricsToken(s.get("relay.metrics.token", null, null))
        .limits(new RelayConfig.Limits(
            s.getInt("relay.max-json-depth", null, d.limits().maxJsonDepth()),
            s.getInt("relay.max-header-bytes", null, d.limits().maxHeaderBytes()),
            s.getDuration("relay.idle-timeout", null, d.limits().idleTimeout()),
            s.getInt("relay.max-polls-per-agent", null, d.limits().maxPollsPerAgent()),
            s.getDuration("relay.body-timeout", null, d.limits().bodyTimeout()),
            s.getInt("relay.max-unauthenticated-per-address", null, d.limits().maxUnauthenticatedPerAddress())))
        .dispatch(dispatch(s))
        .callbackPrivateNetworks(s.getBoolean("relay.callback-private-networks", callbackPrivateNetworks,
            d.callbackPrivateNetworks()))
        .callbackLoopback(s.getBoolean("relay.callback-loopback", callbackLoopback, d.callbackLoopback()))
        .store(storeOptions.settings(s))
        .build();
    PrintWriter out = spec.commandLine().getOut();
    cfg = cfg.withTls(tls(s, cfg, out));
    Relay relay = Ports.startRelay(cfg, "--port (relay.port)");
    out.println("Ferry relay listening on " + relay.baseUrl() + " (bound to " + relay.listenAddress() + ", " + (cfg.store().kind() == io.ferry.relay.store.StoreSettings.Kind.POSTGRES
        ? "store " + cfg.store().describe() + ", keys in " + cfg.dataDir() : "data in " + cfg.dataDir()) + "); Ctrl-C stops it.");
    out.flush();
    Shutdown.awaitSignal(relay::close);
    return ExitCode.OK;
  }

  /** relay.dispatch, with the sqs.* settings when it is sqs. */
  private RelayConfig.Dispatch dispatch(Settings s) {
    String mode = s.get("relay.dispatch", dispatch, "poll").strip();
    return switch (mode) {
      case "poll" -> RelayConfig.Dispatch.POLL;
      case "sqs" -> RelayConfig.Dispatch.sqs(SqsSetup.sqs(s, sqsRegion, sqsEndpoint));
      default -> throw new Settings.SettingsException("relay.dispatch must be poll or sqs, was '" + mode + "'");
    };
  }

  /** relay.tls.* from the settings, or the self-signed certificate; prints what agents need to trust it. */
  private RelayTls tls(Settings s, RelayConfig cfg, PrintWriter out) {
    String certificate = s.get("relay.tls.certificate", null, null);
    String key = s.get("relay.tls.key", null, null);
    String keystore = s.get("relay.tls.keystore", null, null);
    if (tlsSelfSigned) {
      if (certificate != null || key != null || keystore != null) {
        throw new UserFacingException(ExitCode.USAGE, "--tls-self-signed and relay.tls.certificate/key/keystore exclude each "
            + "other: use the configured certificate, or drop it for a self-signed one");
      }
      List<String> names = new ArrayList<>();
      names.add(cfg.host());
      if (cfg.publicUrl() != null) {
        names.add(cfg.publicUrl().getHost());
      }
      SelfSigned.Result r = SelfSigned.ensure(cfg.dataDir(), names, Clock.systemUTC());
      out.println((r.created() ? "Made a self-signed certificate " : "Using the self-signed certificate ")
          + r.tls().certificate().toAbsolutePath() + " (valid until " + r.certificate().getNotAfter().toInstant() + ").");
      printTrust(out, r.certificate(), r.tls().certificate());
      return r.tls();
    }
    if (certificate == null && key == null && keystore == null) {
      return RelayTls.NONE;
    }
    RelayTls tls = new RelayTls(path(certificate), path(key), path(keystore), s.get("relay.tls.keystore-password", null, null));
    printTrust(out, tls.keys().chain().get(0), null);
    return tls;
  }

  private static void printTrust(PrintWriter out, X509Certificate certificate, Path pemFile) {
    out.println("TLS certificate pin (agent.tls.pin): " + RelayTls.pin(certificate));
    out.println("TLS certificate SHA-256 fingerprint: " + RelayTls.fingerprint(certificate));
    if (pemFile != null) {
      out.println("Agents trust it with agent.tls.ca-file=" + pemFile.toAbsolutePath() + " (copy that file to the agent).");
    }
    out.flush();
  }

  private static Path path(String p) {
    return p == null || p.isBlank() ? null : Path.of(p.strip());
  }

  private static String str(Path p) {
    return p == null ? null : p.toString();
  }
}
