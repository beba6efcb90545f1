package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "tenants", mixinStandardHelpOptions = true,
    description = "The admin key's tenant. Tenants are created on the relay's host (ferry relay tenants create).",
    subcommands = {AdminTenantsCommand.List.class})
final class AdminTenantsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the tenants this admin key administers: its own, and no other.")
  static final class List implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin AdminConnection connection;

    @Override
    public Integer call() {
      JsonNode tenants = connection.client().get("/admin/v1/tenants");
      if (connection.output == AdminConnection.Output.json) {
        AdminOutput.json(spec.commandLine().getOut(), tenants);
      } else {
        AdminOutput.table(spec.commandLine().getOut(), tenants.path("tenants"), "id", "name", "createdAt");
      }
      return ExitCode.OK;
    }
  }
}
