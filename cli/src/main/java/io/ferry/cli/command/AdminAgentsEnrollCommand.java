package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.cli.settings.Durations;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "enroll", mixinStandardHelpOptions = true,
    description = {"Print a one-time enrollment token with which one agent joins the tenant's agent group:",
        "on the agent's host, ferry agent enroll --relay URL --token ..."})
final class AdminAgentsEnrollCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin AdminConnection connection;

  @Option(names = "--tenant", paramLabel = "TENANT",
      description = "The tenant's name or id; must be the admin key's own tenant (a check, not a choice).")
  String tenant;

  @Option(names = "--group", defaultValue = "default", description = "The agent group. Default: ${DEFAULT-VALUE}.")
  String group;

  @Option(names = "--valid-for", paramLabel = "DURATION", defaultValue = "1h",
      description = "How long the token may be used (once). Default: ${DEFAULT-VALUE}.")
  String validFor;

  @Override
  public Integer call() {
    AdminClient client = connection.client();
    long seconds = Durations.parse("--valid-for", validFor).toSeconds();
    if (tenant != null) {
      JsonNode own = client.get("/admin/v1/tenants").path("tenants").path(0);
      if (!tenant.equals(own.path("id").asText()) && !tenant.equals(own.path("name").asText())) {
        throw new UserFacingException(ExitCode.NOT_AUTHORIZED, "this admin key administers tenant '"
            + own.path("name").asText() + "' (" + own.path("id").asText() + ") only, not '" + tenant + "'");
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("group", group);
    body.put("validForSeconds", seconds);
    JsonNode token = client.post("/admin/v1/enrollment-tokens", body);
    PrintWriter out = spec.commandLine().getOut();
    if (connection.output == AdminConnection.Output.json) {
      AdminOutput.json(out, token);
    } else {
      out.println("enrollment token: " + token.path("token").asText() + "   (shown once)");
      out.println("tenant:           " + token.path("tenantId").asText());
      out.println("group:            " + token.path("group").asText());
      out.println("valid until:      " + AdminOutput.time(token.path("expiresAt").asText()) + "   (and for one enrollment)");
    }
    return ExitCode.OK;
  }
}
