package io.ferry.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "keys", description = "Create, list and revoke the tenant's API keys.",
    mixinStandardHelpOptions = true, subcommands = {AdminKeysCreateCommand.class, AdminKeysListCommand.class, AdminKeysRevokeCommand.class})
final class AdminKeysCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
