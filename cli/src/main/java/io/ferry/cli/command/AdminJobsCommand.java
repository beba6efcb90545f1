package io.ferry.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "jobs", mixinStandardHelpOptions = true,
    description = "List, show, retry and cancel the tenant's jobs (each engine request or batch record is one).",
    subcommands = {AdminJobsListCommand.class, AdminJobsShowCommand.class, AdminJobsRetryCommand.class,
        AdminJobsCancelCommand.class})
final class AdminJobsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
