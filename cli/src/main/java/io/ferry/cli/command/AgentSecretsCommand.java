package io.ferry.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "secrets", mixinStandardHelpOptions = true,
    description = {"Keep secrets of the agent's configuration in its encrypted secrets file.",
        "Refer to one in the configuration as ${secret:NAME}, for example sap.jco.jco.client.passwd=${secret:sap-password}.",
        "The file (secrets.json) and its key (secrets.key, owner-only) are in the agent's data directory: back up both."},
    subcommands = {AgentSecretsSetCommand.class, AgentSecretsListCommand.class, AgentSecretsRemoveCommand.class})
final class AgentSecretsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
