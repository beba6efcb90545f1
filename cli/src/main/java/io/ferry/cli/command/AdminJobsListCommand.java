package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Protocol;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's jobs, newest first.")
final class AdminJobsListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin AdminConnection connection;

  @Option(names = "--state", paramLabel = "STATE",
      description = "Only jobs in this state: QUEUED, LEASED, SUCCEEDED, FAILED, EXPIRED, DEAD or CANCELLED.")
  String state;

  @Option(names = "--action", paramLabel = "ACTION",
      description = "Only this action, such as customer.create, customer.update or customer.upsert.")
  String action;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
      description = "Print at most N jobs (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new UserFacingException(ExitCode.USAGE, "--limit must be at least 1, was " + limit);
    }
    StringBuilder query = new StringBuilder("/admin/v1/jobs?limit=").append(Math.min(AdminPaging.PAGE, limit));
    if (state != null) {
      query.append("&state=").append(URLEncoder.encode(state, StandardCharsets.UTF_8));
    }
    if (action != null) {
      query.append("&action=").append(URLEncoder.encode(action, StandardCharsets.UTF_8));
    }
    ArrayNode jobs = AdminPaging.values(connection.client(), query.toString(), limit);
    if (connection.output == AdminConnection.Output.json) {
      ObjectNode all = Protocol.json().createObjectNode();
      all.set("value", jobs);
      AdminOutput.json(spec.commandLine().getOut(), all);
      return ExitCode.OK;
    }
    ArrayNode rows = Protocol.json().createArrayNode();
    for (JsonNode j : jobs) {
      ObjectNode row = j.deepCopy();
      JsonNode error = j.path("error");
      if (!error.isMissingNode()) {
        row.put("error", (error.hasNonNull("code") ? error.get("code").asText() + " " : "")
            + error.path("message").asText(""));
      }
      rows.add(row);
    }
    AdminOutput.table(spec.commandLine().getOut(), rows, "id", "action", "state", "attempt", "createdAt", "agentId",
        "error");
    return ExitCode.OK;
  }
}
