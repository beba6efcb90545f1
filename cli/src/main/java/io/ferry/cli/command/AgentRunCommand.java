package io.ferry.cli.command;

import io.ferry.agent.Agent;
import io.ferry.agent.AgentConfig;
import io.ferry.agent.AgentCredentials;
import io.ferry.agent.sap.SapSettings;
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

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the agent's identity and outbox live (agent.data-dir). Default: ~/.ferry/agent.")
  Path dataDir;

  @Option(names = "--relay", paramLabel = "URL", description = "Relay URL (agent.relay-url). Default: the one the agent enrolled with.")
  String relayUrl;

  @Option(names = "--workers", description = "Jobs run at once (agent.workers). Default: 4.")
  Integer workers;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Settings raw = Settings.load(config, System::getenv);
    Path dir = AgentSetup.dataDir(raw, dataDir);
    if (!AgentCredentials.exist(dir)) {
      throw new UserFacingException(ExitCode.NOT_AUTHORIZED, "this agent is not enrolled (no " + AgentCredentials.file(dir)
          + "). Run `ferry agent enroll --relay URL --token TOKEN` first");
    }
    AgentCredentials credentials = AgentCredentials.load(dir);
    Settings s = AgentSetup.withSecrets(raw, dir);
    AgentConfig cfg = AgentSetup.config(s, dir, relayUrl, workers, credentials.relayUrl(), System::getenv);
    SapSettings sap = AgentSetup.sap(s, System::getenv);
    Agent agent = AgentSetup.start(cfg, sap);
    Shutdown.awaitSignal(agent::close);
    return ExitCode.OK;
  }
}
