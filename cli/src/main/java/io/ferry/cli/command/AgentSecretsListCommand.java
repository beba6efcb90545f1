package io.ferry.cli.command;

import io.ferry.agent.secrets.SecretStore;
import io.ferry.cli.settings.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true, description = "Print the names of the stored secrets, one per line (never their values).")
final class AgentSecretsListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The agent's data directory (agent.data-dir). Default: ~/.ferry/agent.")
  Path dataDir;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() {
    SecretStore store = SecretStore.in(AgentSetup.dataDir(Settings.fromEnvironment(Roles.AGENT), dataDir));
    PrintWriter out = spec.commandLine().getOut();
    store.names().forEach(out::println);
    out.flush();
    return ExitCode.OK;
  }
}
