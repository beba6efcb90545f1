package io.ferry.cli.command;

import io.ferry.cli.service.ServiceAction;
import picocli.CommandLine.Command;

@Command(name = "install", mixinStandardHelpOptions = true,
    description = "Register the agent as a service that starts at boot (systemd unit, or Windows service FerryAgent).")
final class AgentServiceInstallCommand extends AgentServiceAction {

  @Override
  ServiceAction action() {
    return ServiceAction.INSTALL;
  }
}
