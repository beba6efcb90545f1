package io.ferry.cli.command;

import io.ferry.cli.settings.Settings;
import io.ferry.relay.Relay;
import io.ferry.relay.RelayConfig;
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

  @Option(names = "--batch-parallelism", paramLabel = "N", description = "Records of one customer batch in flight at most (relay.batch-parallelism). Default: 8.")
  Integer batchParallelism;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Settings s = Settings.load(config, System::getenv);
    RelayConfig d = RelayConfig.defaults(Path.of(s.get("relay.data-dir", str(dataDir), Defaults.relayDataDir().toString())));
    String url = s.get("relay.public-url", publicUrl, null);
    RelayConfig cfg = new RelayConfig(
        s.get("relay.host", host, "0.0.0.0"),
        s.getInt("relay.port", port, 8080),
        d.dataDir(),
        url == null ? null : URI.create(url),
        s.getDuration("relay.sync-window", syncWindow, d.syncWindow()),
        s.getDuration("relay.poll-hold", pollHold, d.pollHold()),
        s.getDuration("relay.lease-duration", lease, d.leaseDuration()),
        s.getDuration("relay.job-deadline", jobDeadline, d.jobDeadline()),
        d.agentOfflineAfter(),
        d.maxAttempts(),
        d.maxBodyBytes(),
        s.getInt("relay.rate-limit", rateLimit, d.rateLimit()),
        s.getDuration("relay.idempotency-retention", idempotencyRetention, d.idempotencyRetention()),
        s.getInt("relay.batch-parallelism", batchParallelism, d.batchParallelism()),
        s.getLong("relay.batch-max-body-bytes", null, d.batchMaxBodyBytes()));
    Relay relay = Ports.startRelay(cfg);
    System.out.println("Ferry relay listening on " + relay.baseUrl() + " (data in " + cfg.dataDir() + "); Ctrl-C stops it.");
    Shutdown.awaitSignal(relay::close);
    return ExitCode.OK;
  }

  private static String str(Path p) {
    return p == null ? null : p.toString();
  }
}
