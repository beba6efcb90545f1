package io.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "disable", mixinStandardHelpOptions = true,
    description = "Disable an agent: its next request is refused and it gets no more jobs. Enroll anew to return.")
final class AdminAgentsDisableCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin AdminConnection connection;

  @Parameters(paramLabel = "AGENT_ID", description = "The agent's id (from `ferry admin agents list`).")
  String agentId;

  @Override
  public Integer call() {
    JsonNode answer = connection.client().post("/admin/v1/agents/"
        + java.net.URLEncoder.encode(agentId.strip(), java.nio.charset.StandardCharsets.UTF_8) + "/disable", Map.of());
    AdminOutput.done(spec.commandLine().getOut(), connection.output, answer,
        Map.of("id", agentId.strip(), "disabled", true), "agent " + agentId.strip() + " disabled");
    return ExitCode.OK;
  }
}
