package io.ferry.cli.command;

import io.ferry.cli.service.ServiceAction;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the service manager's view of the agent's service. Exit code 0 when it runs, 1 when not.")
final class AgentServiceStatusCommand extends AgentServiceAction {

  @Override
  ServiceAction action() {
    return ServiceAction.STATUS;
  }
}
