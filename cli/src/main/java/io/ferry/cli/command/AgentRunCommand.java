package io.ferry.cli.command;

import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.AgentCredentials;
import io.ferry.agent.sap.setup.SapSettings;
import io.ferry.cli.settings.Settings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run the agent: poll the relay for jobs and run them against SAP.",
        "SAP settings (sap.*) and the allowlist (policy.*) come from --config; the SAP password from FERRY_SAP_PASSWORD,",
        "${env:NAME} or ${secret:NAME} (see `ferry agent secrets`).",
        "Stops gracefully on Ctrl-C or SIGTERM: running jobs finish and their results are delivered."})
final class AgentRunCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with agent.* and sap.* settings.")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the agent's identity and journal live (agent.data-dir). Default: ~/.ferry/agent.")
  Path dataDir;

  @Option(names = "--relay", paramLabel = "URL", description = "Relay URL (agent.relay-url). Default: the one the agent enrolled with.")
  String relayUrl;

  @Option(names = "--workers", description = "Jobs run at once (agent.workers). Default: 4.")
  Integer workers;

  @Option(names = "--transport", paramLabel = "stream|poll|sqs", description = "How the agent gets jobs (agent.transport): stream (one WebSocket to the relay for polls and results, long polls where the relay or a proxy does not take it), poll (long polls only, HTTP requests), or sqs (its own Amazon SQS queues; needs sqs.region and the relay's sqs.queue-prefix/sqs.fifo). Default: stream.")
  String transport;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = {"Serve Prometheus metrics and /healthz on this port of 127.0.0.1 (agent.metrics.port; "
          + "agent.metrics.host for another address). Default: off, the agent opens no port."})
  Integer metricsPort;

  @Option(names = "--log-format", paramLabel = "text|json",
      description = "Log lines as text or as one JSON object each (agent.log-format, FERRY_LOG_FORMAT). Default: text.")
  String logFormat;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Settings raw = Settings.load(config, Roles.AGENT);
    Logging.format(raw.get("agent.log-format", logFormat, System.getenv("FERRY_LOG_FORMAT")));
    Path dir = AgentSetup.dataDir(raw, dataDir);
    if (!AgentCredentials.exist(dir)) {
      throw new UserFacingException(ExitCode.NOT_AUTHORIZED, "this agent is not enrolled (no " + AgentCredentials.file(dir)
          + "). Run `ferry agent enroll --relay URL --token TOKEN` first");
    }
    AgentCredentials credentials = AgentCredentials.load(dir);
    Settings s = AgentSetup.withSecrets(raw, dir);
    AgentConfig cfg = AgentSetup.config(s, dir, relayUrl, workers, credentials.relayUrl(), System::getenv, transport)
        .withMetrics(AgentSetup.metrics(s, metricsPort));
    SapSettings sap = AgentSetup.sap(s, System::getenv);
    Agent agent = AgentSetup.start(s, cfg, sap, flags());
    Shutdown.awaitSignal(agent::close);
    return ExitCode.OK;
  }

  /** The flags given, by the key each stands for, so the logged configuration shows them as written. */
  private java.util.Map<String, String> flags() {
    java.util.Map<String, String> flags = new java.util.HashMap<>();
    if (relayUrl != null) {
      flags.put("agent.relay-url", relayUrl);
    }
    if (workers != null) {
      flags.put("agent.workers", workers.toString());
    }
    return flags;
  }
}
