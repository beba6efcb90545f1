package io.ferry.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "agent", description = "Run and manage the on-premises agent.",
    mixinStandardHelpOptions = true, subcommands = {AgentRunCommand.class, AgentEnrollCommand.class, AgentRotateKeyCommand.class,
        AgentTestSapCommand.class, AgentConfigCommand.class, AgentSecretsCommand.class, AgentStatusCommand.class,
        AgentServiceCommand.class, AgentVersionCommand.class})
final class AgentCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
