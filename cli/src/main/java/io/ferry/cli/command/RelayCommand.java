package io.ferry.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "relay", description = "Run and manage the cloud relay.",
    mixinStandardHelpOptions = true, subcommands = {RelayServeCommand.class, RelayBootstrapCommand.class, RelayTenantsCommand.class})
final class RelayCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
