package io.ferry.cli.command;

import io.ferry.agent.AgentConfig;
import io.ferry.agent.AgentCredentials;
import io.ferry.cli.settings.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
    description = {"Print the configuration `ferry agent run` would use, defaults included, every secret masked.",
        "A secret that is not set (or an unresolvable ${env:…}/${secret:…}) shows as missing, with how to set it;",
        "the whole configuration is still printed, and the problems a start would stop at follow with exit code 3."})
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
    // An unknown key still stops here: a misspelt name is never a "missing" value.
    Settings raw = Settings.load(config, Roles.AGENT);
    Path dir = AgentSetup.dataDir(raw, dataDir);
    String enrolled = AgentCredentials.exist(dir) ? AgentCredentials.load(dir).relayUrl() : null;
    // This is the command one runs to find out what is missing: a missing secret is shown, not fatal.
    Settings s = AgentSetup.withSecrets(raw, dir).lenient();
    List<String> problems = new ArrayList<>(s.unresolved().values());
    PrintWriter out = spec.commandLine().getOut();
    out.println("# Effective configuration of the Ferry agent (secrets masked)");
    out.println("# enrolled: " + (enrolled == null ? "no" : "yes, with " + enrolled));
    Map<String, String> flags = new HashMap<>();
    if (relayUrl != null) {
      flags.put("agent.relay-url", relayUrl);
    }
    try {
      AgentConfig cfg = AgentSetup.config(s, dir, relayUrl, null, enrolled, System::getenv);
      AgentSetup.markMissing(s, s.asWritten(cfg.describe(), flags)).forEach(out::println);
    } catch (Settings.SettingsException | IllegalArgumentException e) {
      problems.add(e.getMessage());
      out.println("# agent.* and policy.* as given (the agent would not start with them):");
      AgentSetup.describeGiven(s, "agent.", System::getenv).forEach(out::println);
      AgentSetup.describeGiven(s, "policy.", System::getenv).forEach(out::println);
    }
    AgentSetup.describeSap(s, System::getenv).forEach(out::println);
    try {
      AgentSetup.sap(s, System::getenv); // validates, as a start would
    } catch (Settings.SettingsException | IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    out.flush();
    if (!problems.isEmpty()) {
      throw new Settings.SettingsException(String.join("; ", problems.stream().distinct().toList()));
    }
    return ExitCode.OK;
  }
}
