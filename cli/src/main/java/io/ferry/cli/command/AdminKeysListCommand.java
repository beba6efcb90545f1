package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the tenant's API keys: id, scopes, restriction to functions and OData services, dates. "
        + "Never a key itself.")
final class AdminKeysListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin AdminConnection connection;

  @Override
  public Integer call() {
    JsonNode keys = connection.client().get("/admin/v1/keys");
    if (connection.output == AdminConnection.Output.json) {
      AdminOutput.json(spec.commandLine().getOut(), keys);
    } else {
      AdminOutput.table(spec.commandLine().getOut(), keys.path("keys"), "id", "scopes", "functions", "odataServices",
          "createdAt", "expiresAt", "revokedAt");
    }
    return ExitCode.OK;
  }
}
