package io.ferry.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "admin", description = "Administer a tenant on a running relay over its admin API, with an admin key (FERRY_ADMIN_KEY).",
    mixinStandardHelpOptions = true, subcommands = {AdminTenantsCommand.class, AdminKeysCommand.class, AdminAgentsCommand.class,
        AdminJobsCommand.class, AdminBatchesCommand.class, AdminSubscriptionsCommand.class, AdminAuditCommand.class})
final class AdminCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
