package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the tenant's webhook subscriptions with their delivery state: status, events, URL, "
        + "delivered events, failed attempts, the last error and since when the URL fails.")
final class AdminSubscriptionsListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin AdminConnection connection;

  @Override
  public Integer call() {
    JsonNode subscriptions = connection.client().get("/admin/v1/subscriptions");
    if (connection.output == AdminConnection.Output.json) {
      AdminOutput.json(spec.commandLine().getOut(), subscriptions);
    } else {
      AdminOutput.table(spec.commandLine().getOut(), subscriptions.path("subscriptions"), "id", "status", "events",
          "url", "delivered", "failed", "lastDeliveredAt", "failingSince", "lastError");
    }
    return ExitCode.OK;
  }
}
