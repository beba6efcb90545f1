package io.ferry.cli.command;

import io.ferry.cli.service.ServiceAction;
import picocli.CommandLine.Command;

@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "Stop the agent's service; running jobs finish first (agent.shutdown-grace).")
final class AgentServiceStopCommand extends AgentServiceAction {

  @Override
  ServiceAction action() {
    return ServiceAction.STOP;
  }
}
