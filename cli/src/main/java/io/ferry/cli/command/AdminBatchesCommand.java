package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Protocol;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "batches", mixinStandardHelpOptions = true, description = "List and show the tenant's customer batches.",
    subcommands = {AdminBatchesCommand.List.class, AdminBatchesCommand.Show.class})
final class AdminBatchesCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** One table row per batch: its counts flattened into columns. */
  static ObjectNode row(JsonNode b) {
    ObjectNode row = b.deepCopy();
    JsonNode c = b.path("counts");
    row.remove("counts");
    for (String n : new String[] {"total", "queued", "running", "succeeded", "failed", "skipped"}) {
      row.put(n, c.path(n).asInt());
    }
    return row;
  }

  static final String[] COLUMNS = {"id", "object", "mode", "errorHandling", "state", "total", "succeeded", "failed",
      "queued", "running", "skipped", "createdAt"};

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's batches, newest first.")
  static final class List implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin AdminConnection connection;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
        description = "Print at most N batches (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      if (limit < 1) {
        throw new UserFacingException(ExitCode.USAGE, "--limit must be at least 1, was " + limit);
      }
      ArrayNode batches = AdminPaging.values(connection.client(),
          "/admin/v1/batches?limit=" + Math.min(AdminPaging.PAGE, limit), limit);
      if (connection.output == AdminConnection.Output.json) {
        ObjectNode all = Protocol.json().createObjectNode();
        all.set("value", batches);
        AdminOutput.json(spec.commandLine().getOut(), all);
        return ExitCode.OK;
      }
      ArrayNode rows = Protocol.json().createArrayNode();
      batches.forEach(b -> rows.add(row(b)));
      AdminOutput.table(spec.commandLine().getOut(), rows, COLUMNS);
      return ExitCode.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show a batch: its counts and its first failed records with their problems.")
  static final class Show implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin AdminConnection connection;

    @Parameters(paramLabel = "BATCH_ID", description = "The batch's id.")
    String batchId;

    @Override
    public Integer call() {
      JsonNode batch = connection.client().get("/admin/v1/batches/" + AdminPaging.id("BATCH_ID", batchId));
      PrintWriter out = spec.commandLine().getOut();
      if (connection.output == AdminConnection.Output.json) {
        AdminOutput.json(out, batch);
        return ExitCode.OK;
      }
      ArrayNode one = Protocol.json().createArrayNode();
      one.add(row(batch.path("batch")));
      AdminOutput.table(out, one, COLUMNS);
      JsonNode failed = batch.path("failedRecords");
      if (failed.isArray() && !failed.isEmpty()) {
        out.println();
        out.println("failed records:");
        ArrayNode rows = Protocol.json().createArrayNode();
        for (JsonNode r : failed) {
          ObjectNode row = r.deepCopy();
          JsonNode p = r.path("problem");
          JsonNode sap = p.path("sapMessages");
          row.put("problem", p.path("code").asText("") + " "
              + (sap.isArray() && !sap.isEmpty() ? sap.get(0).path("message").asText("") : p.path("detail").asText("")));
          rows.add(row);
        }
        AdminOutput.table(out, rows, "recordIndex", "externalId", "customerNumber", "jobId", "problem");
      }
      return ExitCode.OK;
    }
  }
}
