package io.ferry.cli.command;

import io.ferry.agent.AgentConfig;
import io.ferry.agent.AgentCredentials;
import io.ferry.cli.settings.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
    description = {"Print the configuration `ferry agent run` would use, defaults included, every secret masked.",
        "Checks it as a start would: an invalid setting or an unresolvable ${env:…}/${secret:…} exits with 3."})
final class AgentConfigShowCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with agent.*, policy.* and sap.* settings.")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The agent's data directory (agent.data-dir). Default: ~/.ferry/agent.")
  Path dataDir;

  @Option(names = "--relay", paramLabel = "URL", description = "Relay URL (agent.relay-url). Default: the one the agent enrolled with.")
  String relayUrl;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Logging.quiet();
    Settings raw = Settings.load(config, System::getenv);
    Path dir = AgentSetup.dataDir(raw, dataDir);
    String enrolled = AgentCredentials.exist(dir) ? AgentCredentials.load(dir).relayUrl() : null;
    Settings s = AgentSetup.withSecrets(raw, dir);
    AgentConfig cfg = AgentSetup.config(s, dir, relayUrl, null, enrolled, System::getenv);
    AgentSetup.sap(s, System::getenv); // validates, as a start would
    PrintWriter out = spec.commandLine().getOut();
    out.println("# Effective configuration of the Ferry agent (secrets masked)");
    out.println("# enrolled: " + (enrolled == null ? "no" : "yes, with " + enrolled));
    cfg.describe().forEach(out::println);
    AgentSetup.describeSap(s, System::getenv).forEach(out::println);
    out.flush();
    return ExitCode.OK;
  }
}
