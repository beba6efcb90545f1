package io.ferry.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "subscriptions", description = "See the tenant's webhook subscriptions to the change feed.",
    mixinStandardHelpOptions = true, subcommands = {AdminSubscriptionsListCommand.class})
final class AdminSubscriptionsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
