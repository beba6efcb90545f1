package io.ferry.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "agents", description = "Enroll, list and disable the tenant's agents.",
    mixinStandardHelpOptions = true, subcommands = {AdminAgentsEnrollCommand.class, AdminAgentsListCommand.class, AdminAgentsDisableCommand.class})
final class AdminAgentsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
