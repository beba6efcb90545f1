package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Show a job: its state, what the engine sent, and what it answered (the customer, or the problem with SAP's messages).")
final class AdminJobsShowCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin AdminConnection connection;

  @Parameters(paramLabel = "JOB_ID", description = "The job's id (the operation id engines see).")
  String jobId;

  @Override
  public Integer call() {
    JsonNode job = connection.client().get("/admin/v1/jobs/" + AdminPaging.id("JOB_ID", jobId));
    PrintWriter out = spec.commandLine().getOut();
    if (connection.output == AdminConnection.Output.json) {
      AdminOutput.json(out, job);
    } else {
      print(out, job);
    }
    return ExitCode.OK;
  }

  /** The job as a list of fields, then the problem and SAP's messages, or the result. */
  static void print(PrintWriter out, JsonNode job) {
    for (String field : new String[] {"id", "action", "state", "attempt", "createdAt", "updatedAt", "finishedAt",
        "deadline", "agentId", "agentGroup", "retryOf", "traceparent", "httpStatus"}) {
      if (job.hasNonNull(field)) {
        out.printf("%-12s %s%n", field + ":", AdminOutput.time(job.get(field).asText()));
      }
    }
    JsonNode problem = job.path("problem");
    if (!problem.isMissingNode() && !problem.isNull()) {
      out.printf("%-12s %s%n", "problem:", problem.path("code").asText("") + " " + problem.path("title").asText(""));
      out.printf("%-12s %s%n", "detail:", problem.path("detail").asText(""));
      JsonNode messages = problem.path("sapMessages");
      if (messages.isArray() && !messages.isEmpty()) {
        out.println();
        out.println("SAP messages:");
        AdminOutput.table(out, messages, "type", "id", "number", "message");
      }
    }
    JsonNode result = job.path("result");
    if (!result.isMissingNode() && !result.isNull()) {
      out.println();
      out.println("result:");
      AdminOutput.json(out, result);
    }
  }
}
