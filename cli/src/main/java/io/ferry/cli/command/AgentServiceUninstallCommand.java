package io.ferry.cli.command;

import io.ferry.cli.service.ServiceAction;
import picocli.CommandLine.Command;

@Command(name = "uninstall", mixinStandardHelpOptions = true,
    description = "Stop the agent's service and unregister it; configuration and data stay.")
final class AgentServiceUninstallCommand extends AgentServiceAction {

  @Override
  ServiceAction action() {
    return ServiceAction.UNINSTALL;
  }
}
