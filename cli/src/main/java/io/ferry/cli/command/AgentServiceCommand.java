package io.ferry.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "service", mixinStandardHelpOptions = true,
    description = {"Register the agent with this host's service manager and control it: systemd on Linux "
        + "(unit ferry-agent.service), the Service Control Manager through WinSW on Windows (service FerryAgent).",
        "install/uninstall/start/stop need root (Linux) or an elevated prompt (Windows); --dry-run prints the exact "
        + "commands and files instead. linux/install.sh and windows\\install.ps1 do all of it, and more, in one go."},
    subcommands = {AgentServiceInstallCommand.class, AgentServiceUninstallCommand.class, AgentServiceStartCommand.class,
        AgentServiceStopCommand.class, AgentServiceStatusCommand.class})
final class AgentServiceCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
