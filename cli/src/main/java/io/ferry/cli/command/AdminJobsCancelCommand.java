package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = {"Cancel a QUEUED job that no agent has taken yet: it is never sent to SAP, and its engine hears 409.",
        "A job an agent holds (LEASED) cannot be cancelled, as the agent may be writing to SAP: exit code 7."})
final class AdminJobsCancelCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin AdminConnection connection;

  @Parameters(paramLabel = "JOB_ID", description = "The job's id.")
  String jobId;

  @Override
  public Integer call() {
    String id = AdminPaging.id("JOB_ID", jobId);
    JsonNode job = connection.client().post("/admin/v1/jobs/" + id + "/cancel", Map.of());
    if (connection.output == AdminConnection.Output.json) {
      AdminOutput.json(spec.commandLine().getOut(), job);
    } else {
      spec.commandLine().getOut().println("job " + id + " " + job.path("state").asText());
    }
    return ExitCode.OK;
  }
}
