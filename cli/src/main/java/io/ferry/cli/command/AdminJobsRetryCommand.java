package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "retry", mixinStandardHelpOptions = true,
    description = {"Ask SAP again for a FAILED, DEAD or EXPIRED job, as a new job with the same request.",
        "The old job keeps its state. Retrying a DEAD job may create a second customer if its first attempt reached",
        "SAP: check SAP first. A job is retried once; when the retry fails too, retry the retry.",
        "Exit code 7 when the job is in another state or was retried already, 6 when the tenant has no such job."})
final class AdminJobsRetryCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin AdminConnection connection;

  @Parameters(paramLabel = "JOB_ID", description = "The job's id.")
  String jobId;

  @Override
  public Integer call() {
    String id = AdminPaging.id("JOB_ID", jobId);
    JsonNode retry = connection.client().post("/admin/v1/jobs/" + id + "/retry", Map.of());
    if (connection.output == AdminConnection.Output.json) {
      AdminOutput.json(spec.commandLine().getOut(), retry);
    } else {
      spec.commandLine().getOut().println("job " + id + " retried as job " + retry.path("id").asText()
          + " (" + retry.path("state").asText() + "); follow it with: ferry admin jobs show " + retry.path("id").asText());
    }
    return ExitCode.OK;
  }
}
