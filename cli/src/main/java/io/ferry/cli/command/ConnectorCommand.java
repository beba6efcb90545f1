package io.ferry.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "connector", description = "Packages for workflow engines (Power Automate, Logic Apps).",
    mixinStandardHelpOptions = true, subcommands = {ConnectorExportCommand.class})
final class ConnectorCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
