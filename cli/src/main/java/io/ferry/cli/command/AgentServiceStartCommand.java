package io.ferry.cli.command;

import io.ferry.cli.service.ServiceAction;
import picocli.CommandLine.Command;

@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Start the agent's service.")
final class AgentServiceStartCommand extends AgentServiceAction {

  @Override
  ServiceAction action() {
    return ServiceAction.START;
  }
}
