package io.ferry.cli.command;

import io.ferry.agent.secrets.SecretStore;
import io.ferry.cli.settings.Settings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a secret from the secrets file.")
final class AgentSecretsRemoveCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The agent's data directory (agent.data-dir). Default: ~/.ferry/agent.")
  Path dataDir;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() {
    SecretStore store = SecretStore.in(AgentSetup.dataDir(Settings.fromEnvironment(Roles.AGENT), dataDir));
    if (!store.remove(name)) {
      throw new UserFacingException(ExitCode.FAILED, "there is no secret " + name + " in " + store.file());
    }
    spec.commandLine().getOut().println("Removed secret " + name + " from " + store.file());
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }
}
