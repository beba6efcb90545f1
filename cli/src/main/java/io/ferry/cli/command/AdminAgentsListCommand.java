package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's agents, disabled ones included.")
final class AdminAgentsListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin AdminConnection connection;

  @Override
  public Integer call() {
    JsonNode agents = connection.client().get("/admin/v1/agents");
    if (connection.output == AdminConnection.Output.json) {
      AdminOutput.json(spec.commandLine().getOut(), agents);
    } else {
      AdminOutput.table(spec.commandLine().getOut(), agents.path("agents"), "id", "group", "name", "hostname",
          "version", "online", "inFlight", "lastSeen", "disabledAt");
    }
    return ExitCode.OK;
  }
}
